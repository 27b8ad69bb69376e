//! Log in and sign up.
pub mod login;
pub mod signup;
