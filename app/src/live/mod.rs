//! Live tables (issue 13): what anyone changes reaches every open page within a second, with no
//! polling. The server follows the tables with `LIVE SELECT` (`feed`), each open page keeps one
//! server-sent-event channel (`channel`) that names the topics that changed for its session, and
//! the page reads them again through its own server functions (`client`), so the channel never
//! carries data and every read keeps its permission checks.
pub mod client;
pub mod model;

#[cfg(feature = "ssr")]
pub mod channel;
#[cfg(feature = "ssr")]
pub mod feed;
