//! Writes the seed inputs of every fuzz target (`klavi_tests::fuzzing::seeds`) to
//! `fuzz/seeds/TARGET/`, one file per seed named by its position, for `cargo fuzz run TARGET
//! fuzz/corpus/TARGET fuzz/seeds/TARGET`.

use std::path::Path;

use klavi_tests::fuzzing::{TARGETS, seeds};

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
    for target in TARGETS {
        let folder = root.join(target.name);
        std::fs::create_dir_all(&folder)?;
        let seeds = seeds(target.name);
        for (index, seed) in seeds.iter().enumerate() {
            std::fs::write(folder.join(format!("seed-{index:03}")), seed)?;
        }
        println!(
            "{}: {} seeds in {}",
            target.name,
            seeds.len(),
            folder.display()
        );
    }
    Ok(())
}
