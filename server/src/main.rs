//! The `steward` binary: reads the configuration and runs the server.
use clap::Parser;
use server::config::Config;

// glibc malloc kept ~1 GB of freed arena memory after a seed of 1,400 accounts; jemalloc returns it.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main` runs: a background thread gives freed memory back to
/// the system after a second, so an idle server shrinks soon after a burst.
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: Option<&'static std::ffi::c_char> = Some(unsafe {
    JemallocOptions {
        bytes: &b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:1000\0"[0],
    }
    .c_chars
});

/// The C string above as jemalloc reads it (a `const char *`).
union JemallocOptions {
    bytes: &'static u8,
    c_chars: &'static std::ffi::c_char,
}

fn fail(message: &str) -> ! {
    eprintln!("steward: {message}");
    std::process::exit(2);
}

fn main() {
    let config = Config::parse();
    if let Err(message) = config.validate() {
        fail(&message);
    }
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|e| {
        fail(&format!(
            "STEWARD_LOG {:?} is not a valid filter: {e}",
            config.log
        ))
    });
    tracing_subscriber::fmt().with_env_filter(filter).init();
    // Deep SurrealDB queries want big stacks.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(10 * 1024 * 1024)
        .build()
        .unwrap_or_else(|e| fail(&format!("could not start the runtime: {e}")));
    let result = match &config.command {
        Some(server::config::Command::Audit {
            task: server::config::AuditTask::Verify,
        }) => runtime.block_on(server::verify_audit(&config)).map(|intact| {
            if !intact {
                std::process::exit(1);
            }
        }),
        None => runtime.block_on(server::serve(config)),
    };
    if let Err(e) = result {
        fail(&e.0);
    }
}
