//! One page's live channel: the changes its session may see, as server-sent events. A change of
//! the session itself (it ended, or its grant did) makes the channel check the session again and
//! tell the page where to go.
use std::convert::Infallible;

use axum::response::sse::Event;
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::feed::{Change, Viewer};
use super::model::{Topic, ENDED, EVERYTHING, MOVED};
use crate::core::services::{ServiceError, Services};
use crate::identity::service::{self as identity, SessionToken};

/// What the page is told next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// This table changed: read it again.
    Topic(Topic),
    /// The channel fell behind: read everything again.
    Everything,
    /// The session is over: log in again.
    Ended,
    /// The session acts in another account now (its grant ended): go home.
    Moved,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Topic(t) => t.key(),
            Signal::Everything => EVERYTHING,
            Signal::Ended => ENDED,
            Signal::Moved => MOVED,
        }
    }
}

struct State {
    services: Services,
    token: SessionToken,
    viewer: Viewer,
    /// Acting in a client account through a grant: a change of its grants may end that.
    through_grant: bool,
    changes: tokio::sync::broadcast::Receiver<Change>,
    closing: tokio::sync::watch::Receiver<bool>,
    done: bool,
    /// When the page was last told to read everything again.
    everything_at: Option<std::time::Instant>,
}

/// The session again: ended, moved, or still where it was.
async fn recheck(state: &State) -> Option<Signal> {
    match identity::actor_for_token(&state.services, &state.token).await {
        Ok(None) => Some(Signal::Ended),
        Ok(Some(actor)) if actor.account_id.as_str() != state.viewer.account => Some(Signal::Moved),
        Ok(Some(_)) => None,
        Err(e) => {
            tracing::warn!(error = %e, "live: could not check a session");
            None
        }
    }
}

async fn next_signal(state: &mut State) -> Option<Signal> {
    if state.done {
        return None;
    }
    loop {
        let received = tokio::select! {
            received = state.changes.recv() => received,
            _ = state.closing.wait_for(|closing| *closing) => return None,
        };
        match received {
            // Each followed table says so when it follows again: one "everything" is enough.
            Ok(change) if change.scope == super::feed::Scope::Everyone => {
                let recent = state
                    .everything_at
                    .is_some_and(|at| at.elapsed() < std::time::Duration::from_secs(2));
                if !recent {
                    state.everything_at = Some(std::time::Instant::now());
                    // The session may have ended meanwhile, unheard, too.
                    if let Some(signal) = recheck(state).await {
                        state.done = true;
                        return Some(signal);
                    }
                    return Some(Signal::Everything);
                }
            }
            Ok(change) if change.concerns(&state.viewer) => {
                let ends_session =
                    change.topic.is_none() || (state.through_grant && change.topic == Some(Topic::Grants));
                if ends_session {
                    if let Some(signal) = recheck(state).await {
                        state.done = true;
                        return Some(signal);
                    }
                }
                if let Some(topic) = change.topic {
                    return Some(Signal::Topic(topic));
                }
            }
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => return Some(Signal::Everything),
            Err(RecvError::Closed) => return None,
        }
    }
}

/// The signals for the session behind `token`, until it ends; refused when there is none.
pub async fn signals(
    services: Services,
    token: SessionToken,
) -> Result<impl Stream<Item = Signal> + Send + 'static, ServiceError> {
    let actor = identity::actor_for_token(&services, &token)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    let state = State {
        changes: services.live.subscribe(),
        closing: services.live.closing(),
        viewer: Viewer {
            session: actor.session_id.clone(),
            user: actor.user_id.to_string(),
            account: actor.account_id.to_string(),
            email: actor.email.to_string(),
            at_home: actor.managing.is_none(),
        },
        through_grant: actor.managing.is_some(),
        services,
        token,
        done: false,
        everything_at: None,
    };
    Ok(futures::stream::unfold(state, |mut state| async move {
        next_signal(&mut state).await.map(|s| (s, state))
    }))
}

/// The channel as server-sent events.
pub async fn events(
    services: Services,
    token: SessionToken,
) -> Result<impl Stream<Item = Result<Event, Infallible>> + Send + 'static, ServiceError> {
    use futures::StreamExt;
    Ok(signals(services, token)
        .await?
        .map(|s| Ok(Event::default().event(s.name()).data("1"))))
}
