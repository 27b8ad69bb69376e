//! Log in, sign up, and a forgotten password.
pub mod forgot_password;
pub mod login;
pub mod signup;
