//! Reading a payload: a file or standard input, bounded to [`MAX_PAYLOAD_BYTES`], so that a
//! huge input (or `/dev/zero`) is a verdict, never an exhausted memory.

use std::io::{self, Read};
use std::path::Path;

use klavi_cli::MAX_PAYLOAD_BYTES;

use crate::output::{CliError, sanitize};

/// What [`read_input`] read.
pub enum Input {
    /// The whole payload.
    Bytes(Vec<u8>),
    /// More than [`MAX_PAYLOAD_BYTES`]: not held, not validated (an invalid payload).
    TooLarge,
}

/// Reads `file`, or standard input for `None` and `-`, up to [`MAX_PAYLOAD_BYTES`] (a special
/// file such as `/dev/zero` included); returns a name for the source too. An input that cannot
/// be read is an error naming it.
pub fn read_input(file: Option<&Path>) -> Result<(String, Input), CliError> {
    let (name, reader): (String, Box<dyn Read>) = match file {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|error| CliError(format!("cannot read `{}`: {error}", sanitize(&name))))?;
            (name, Box::new(file))
        }
        _ => ("stdin".to_owned(), Box::new(io::stdin().lock())),
    };
    let input = read_bounded(reader, MAX_PAYLOAD_BYTES)
        .map_err(|error| CliError(format!("cannot read `{}`: {error}", sanitize(&name))))?;
    Ok((name, input))
}

/// Reads all of `reader`, keeping at most `limit` bytes: more is [`Input::TooLarge`], read no
/// further.
fn read_bounded(reader: impl Read, limit: usize) -> io::Result<Input> {
    let mut bytes = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(if bytes.len() > limit {
        Input::TooLarge
    } else {
        Input::Bytes(bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_bounded_refuses_more_than_the_limit() {
        assert!(matches!(read_bounded(&b"abcd"[..], 4), Ok(Input::Bytes(b)) if b == b"abcd"));
        assert!(matches!(
            read_bounded(&b"abcde"[..], 4),
            Ok(Input::TooLarge)
        ));
        // An endless input is read only up to the limit.
        assert!(matches!(
            read_bounded(io::repeat(0), 1 << 20),
            Ok(Input::TooLarge)
        ));
    }
}
