//! gzip input (`flate2`, pure-Rust `miniz_oxide` backend): whole-file decompression with a
//! size cap for single documents, and [`Members`], a streaming reader over concatenated
//! gzip members (a `.warc.gz` is one member per record) that can skip to the next member
//! after a corrupt one. [`Peek`] is the small buffered reader underneath, hand-written
//! because `std::io::BufReader` cannot look ahead across its buffer's end.

use std::io::{self, BufRead, Read};

use flate2::bufread::{GzDecoder, MultiGzDecoder};

/// The most bytes a single gzip-compressed document may expand to (a guard against
/// decompression bombs).
pub const MAX_DECOMPRESSED: u64 = 1 << 30;

/// The gzip magic bytes and the deflate method byte.
const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Whether bytes start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC[..2])
}

/// Decompresses a whole gzip file (all its members), or says why it cannot.
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut dec = MultiGzDecoder::new(bytes).take(MAX_DECOMPRESSED + 1);
    dec.read_to_end(&mut out).map_err(|e| format!("corrupt or truncated gzip data: {e}"))?;
    if out.len() as u64 > MAX_DECOMPRESSED {
        return Err(format!("gzip data expands past {MAX_DECOMPRESSED} bytes"));
    }
    Ok(out)
}

/// The most bytes [`Peek`] keeps behind a mark to rewind to.
const MAX_MARKED: usize = 16 << 20;

/// A buffered reader that can look `n` bytes ahead, and rewind to a mark set at most
/// [`MAX_MARKED`] bytes back.
#[derive(Debug)]
pub struct Peek<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    mark: Option<usize>,
}

impl<R: Read> Peek<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Peek<R> {
        Peek { inner, buf: Vec::with_capacity(64 * 1024), pos: 0, mark: None }
    }

    /// Drops the bytes before the read position (or the mark) from the buffer.
    fn compact(&mut self) {
        if self.mark.is_some_and(|m| self.buf.len() - m > MAX_MARKED) {
            self.mark = None;
        }
        let keep_from = self.mark.unwrap_or(self.pos);
        self.buf.drain(..keep_from);
        self.pos -= keep_from;
        self.mark = self.mark.map(|_| 0);
    }

    /// Reads more bytes at the end of the buffer; 0 at the end of the input.
    fn more(&mut self) -> io::Result<usize> {
        let old = self.buf.len();
        self.buf.resize(old + 64 * 1024, 0);
        let got = self.inner.read(&mut self.buf[old..]);
        self.buf.truncate(old + *got.as_ref().unwrap_or(&0));
        got
    }

    /// The next `n` bytes (fewer only at the end of the input), not consumed.
    pub fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.buf.len() - self.pos < n {
            self.compact();
            while self.buf.len() - self.pos < n {
                if self.more()? == 0 {
                    break;
                }
            }
        }
        let end = self.buf.len().min(self.pos + n);
        Ok(&self.buf[self.pos..end])
    }

    /// Remembers the read position.
    pub fn mark(&mut self) {
        self.mark = Some(self.pos);
    }

    /// Goes back to one byte past the mark (when it is still kept); forgets the mark.
    pub fn rewind_past_mark(&mut self) {
        if let Some(m) = self.mark.take() {
            self.pos = (m + 1).min(self.buf.len());
        }
    }
}

impl<R: Read> Read for Peek<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(out.len());
            out[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Peek<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.buf.len() {
            self.compact();
            self.more()?;
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

/// Streams the decompressed bytes of concatenated gzip members.
#[derive(Debug)]
pub struct Members<R: Read> {
    current: Option<GzDecoder<Peek<R>>>,
}

impl<R: Read> Members<R> {
    /// Starts reading members from `inner`.
    pub fn new(mut inner: Peek<R>) -> Members<R> {
        inner.mark();
        Members { current: Some(GzDecoder::new(inner)) }
    }

    /// After an error: drops the member being read and moves to the next gzip header in the
    /// input. Returns false when there is none.
    pub fn resync(&mut self) -> bool {
        let Some(dec) = self.current.take() else { return false };
        let mut inner = dec.into_inner();
        inner.rewind_past_mark();
        loop {
            let head = match inner.peek(MAGIC.len()) {
                Ok(h) => h,
                Err(_) => return false,
            };
            if head.len() < MAGIC.len() {
                return false;
            }
            if head == MAGIC {
                inner.mark();
                self.current = Some(GzDecoder::new(inner));
                return true;
            }
            let skip = {
                let avail = match inner.fill_buf() {
                    Ok(a) => a,
                    Err(_) => return false,
                };
                // Skip to the next possible magic start (at least one byte).
                avail.iter().skip(1).position(|&b| b == MAGIC[0]).map_or(avail.len(), |p| p + 1)
            };
            inner.consume(skip.max(1));
        }
    }
}

impl<R: Read> Read for Members<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(dec) = self.current.as_mut() else { return Ok(0) };
            let got = dec.read(out)?;
            if got > 0 || out.is_empty() {
                return Ok(got);
            }
            let Some(done) = self.current.take() else { return Ok(0) };
            let mut inner = done.into_inner();
            if inner.fill_buf()?.is_empty() {
                return Ok(0);
            }
            inner.mark();
            self.current = Some(GzDecoder::new(inner));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("write to vec");
        e.finish().expect("finish gzip")
    }

    #[test]
    fn gunzip_round_trips_and_refuses_truncation() {
        let data = b"hello gzip world".repeat(50);
        let z = gz(&data);
        assert!(is_gzip(&z));
        assert_eq!(gunzip(&z).ok(), Some(data));
        assert!(gunzip(&z[..z.len() / 2]).is_err());
        assert!(!is_gzip(b"plain"));
    }

    #[test]
    fn members_stream_and_resync_after_a_corrupt_one() {
        let mut input = gz(b"one ");
        let bad = gz(b"two two two two two two two two ");
        input.extend_from_slice(&bad[..bad.len() - 12]);
        input.extend_from_slice(&gz(b"three"));
        let mut m = Members::new(Peek::new(&input[..]));
        let mut got = Vec::new();
        let mut errors = 0;
        loop {
            let mut buf = [0u8; 4];
            match m.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(_) => {
                    errors += 1;
                    if !m.resync() {
                        break;
                    }
                }
            }
        }
        let got = String::from_utf8_lossy(&got);
        assert!(got.starts_with("one "), "{got}");
        assert!(got.ends_with("three"), "{got}");
        assert!(errors >= 1);
    }
}
