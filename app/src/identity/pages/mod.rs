//! Log in (and its two-factor step), sign up, a forgotten password, and two-factor set-up.
pub mod forgot_password;
pub mod login;
pub mod signup;
pub mod two_factor;
