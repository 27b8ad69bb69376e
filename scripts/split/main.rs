//! `steward-split INPUT.wasm PKG_DIR OUTPUT_NAME`: splits the browser bundle that cargo built
//! (linked with `--emit-relocs`) into the main module, `PKG_DIR/OUTPUT_NAME_split.wasm` beside
//! INPUT, and one chunk per lazily loaded page in PKG_DIR, with the loader
//! (`__wasm_split.______________________.js`) and the manifest Leptos reads to preload a page's
//! chunks (`__wasm_split_manifest.json`). The same options and file names as cargo-leptos 0.3.10
//! (`src/wasm_split_tools`), so `leptos::HydrationScripts` finds them. wasm-bindgen then runs on
//! the main module with `--keep-lld-exports --no-demangle`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, pkg_dir, output_name] = args.as_slice() else {
        eprintln!("usage: steward-split INPUT.wasm PKG_DIR OUTPUT_NAME");
        return ExitCode::from(2);
    };
    match split(Path::new(input), Path::new(pkg_dir), output_name) {
        Ok(chunks) => {
            println!("{chunks} chunks in {pkg_dir}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("steward-split: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, pkg_dir: &Path, output_name: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let input_wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let stem = input.file_stem().and_then(|s| s.to_str()).ok_or("the input has no file name")?;
    let main_out: PathBuf = input.with_file_name(format!("{stem}_split.wasm"));
    let main_module = format!("./{output_name}.js");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input_wasm);
        opts.output_dir = pkg_dir;
        opts.main_out_path = &main_out;
        opts.main_module = &main_module;
        opts.link_name = "./__wasm_split.______________________.js";
        opts
    })
    .map_err(|e| format!("{e:?}"))?;
    std::fs::write(
        pkg_dir.join("__wasm_split_manifest.json"),
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )?;
    Ok(split.split_modules.len())
}
