//! Offset maps from repaired text back to the original text.
//!
//! Every repair pass rewrites a text into a new one by copying ranges of its input, replacing
//! ranges with new strings and dropping ranges. [`TextBuilder`] records those edits as one
//! [`Layer`]; an [`OffsetMap`] stacks the layers of all passes, so any byte offset in the final
//! text maps back to a byte offset in the original (compare HF tokenizers' `NormalizedString`).
//! Inside a copied range the mapping is exact; a position inside a replaced range maps to the
//! start (for span starts) or the end (for span ends) of the original range it replaced.

use std::ops::Range;

use crate::record::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Seg {
    out_start: usize,
    out_len: usize,
    src_start: usize,
    src_len: usize,
    /// Copied byte for byte (offsets map exactly inside it).
    exact: bool,
}

/// One pass's edits: how each byte range of the pass's output came from its input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layer {
    segs: Vec<Seg>,
    src_len: usize,
}

impl Layer {
    /// Whether this layer changes nothing (output equals input).
    pub fn is_identity(&self) -> bool {
        let mut src = 0;
        for s in &self.segs {
            if !s.exact || s.src_start != src {
                return false;
            }
            src += s.src_len;
        }
        src == self.src_len
    }

    fn to_src_start(&self, p: usize) -> usize {
        // First segment whose output end is beyond p.
        let i = self.segs.partition_point(|s| s.out_start + s.out_len <= p);
        // Skip empty segments (deletions leave none, but inserts of "" could).
        match self.segs[i..].iter().find(|s| s.out_len > 0 || s.out_start > p) {
            Some(s) if s.out_start <= p => {
                if s.exact {
                    s.src_start + (p - s.out_start)
                } else {
                    s.src_start
                }
            }
            Some(s) => s.src_start,
            None => self.src_len,
        }
    }

    fn to_src_end(&self, p: usize) -> usize {
        if p == 0 {
            return self.to_src_start(0);
        }
        // First segment whose output end is >= p (so it contains byte p-1).
        let i = self.segs.partition_point(|s| s.out_start + s.out_len < p);
        match self.segs[i..].iter().find(|s| s.out_len > 0) {
            Some(s) if s.out_start < p => {
                if s.exact {
                    s.src_start + (p - s.out_start)
                } else {
                    s.src_start + s.src_len
                }
            }
            Some(s) => s.src_start,
            None => self.src_len,
        }
    }
}

/// Builds the output text of one pass and its [`Layer`], from edits in source order.
///
/// Source ranges given to `copy` and `replace` must be increasing and must not overlap;
/// source bytes that no call covers are deleted.
#[derive(Debug)]
pub struct TextBuilder<'a> {
    src: &'a str,
    out: String,
    segs: Vec<Seg>,
    cursor: usize,
}

impl<'a> TextBuilder<'a> {
    /// A builder over `src`.
    pub fn new(src: &'a str) -> TextBuilder<'a> {
        TextBuilder { src, out: String::with_capacity(src.len()), segs: Vec::new(), cursor: 0 }
    }

    /// Where the next edit may start in the source.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The output written so far.
    pub fn output(&self) -> &str {
        &self.out
    }

    /// Copies `src[range]` unchanged.
    pub fn copy(&mut self, range: Range<usize>) {
        self.push(range, None);
    }

    /// Replaces `src[range]` with `with`.
    pub fn replace(&mut self, range: Range<usize>, with: &str) {
        self.push(range, Some(with));
    }

    /// Copies everything from the cursor to `to` unchanged.
    pub fn copy_to(&mut self, to: usize) {
        if to > self.cursor {
            self.copy(self.cursor..to);
        }
    }

    fn push(&mut self, range: Range<usize>, with: Option<&str>) {
        let start = range.start.max(self.cursor).min(self.src.len());
        let end = range.end.max(start).min(self.src.len());
        let out_start = self.out.len();
        let text = match with {
            Some(w) => w,
            None => self.src.get(start..end).unwrap_or(""),
        };
        self.out.push_str(text);
        let seg = Seg {
            out_start,
            out_len: text.len(),
            src_start: start,
            src_len: end - start,
            exact: with.is_none() || with == self.src.get(start..end),
        };
        // Merge adjacent exact copies to keep the map small.
        match self.segs.last_mut() {
            Some(last)
                if seg.exact
                    && last.exact
                    && last.src_start + last.src_len == seg.src_start
                    && last.out_start + last.out_len == seg.out_start =>
            {
                last.out_len += seg.out_len;
                last.src_len += seg.src_len;
            }
            _ => {
                if seg.out_len > 0 || seg.src_len > 0 {
                    self.segs.push(seg)
                }
            }
        }
        self.cursor = end;
    }

    /// Copies the rest of the source (if `copy_rest`) and returns the output and its layer.
    pub fn finish(mut self, copy_rest: bool) -> (String, Layer) {
        if copy_rest {
            self.copy_to(self.src.len());
        }
        (self.out, Layer { segs: self.segs, src_len: self.src.len() })
    }
}

/// Maps byte offsets in the repaired text back to byte offsets in the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffsetMap {
    /// Layers in the order their passes ran (first pass first).
    layers: Vec<Layer>,
}

impl OffsetMap {
    /// The identity map (repaired text equals the original).
    pub fn identity() -> OffsetMap {
        OffsetMap::default()
    }

    /// Adds the layer of a pass run on the current repaired text. Identity layers are dropped.
    pub fn push(&mut self, layer: Layer) {
        if !layer.is_identity() {
            self.layers.push(layer);
        }
    }

    /// Original offset of a span start at repaired offset `p`.
    pub fn to_raw_start(&self, p: usize) -> usize {
        self.layers.iter().rev().fold(p, |p, l| l.to_src_start(p))
    }

    /// Original offset of a span end at repaired offset `p`.
    pub fn to_raw_end(&self, p: usize) -> usize {
        self.layers.iter().rev().fold(p, |p, l| l.to_src_end(p))
    }

    /// The original span of a repaired span (`start <= end` always holds).
    pub fn to_raw(&self, span: Span) -> Span {
        let start = self.to_raw_start(span.start);
        let end = self.to_raw_end(span.end).max(start);
        Span { start, end }
    }

    /// Original span of a range of the text *before* the layers from `from_layer` on, i.e.
    /// for a pass that records a repair on its own input: maps through layers `..from_layer`.
    pub fn to_raw_at(&self, from_layer: usize, span: Span) -> Span {
        let n = from_layer.min(self.layers.len());
        let start = self.layers[..n].iter().rev().fold(span.start, |p, l| l.to_src_start(p));
        let end = self.layers[..n].iter().rev().fold(span.end, |p, l| l.to_src_end(p));
        Span { start, end: end.max(start) }
    }

    /// Number of (non-identity) layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_exactly() {
        let m = OffsetMap::identity();
        assert_eq!(m.to_raw(Span::new(3, 7)), Span::new(3, 7));
    }

    #[test]
    fn replace_and_delete_map_back() {
        let src = "Russiaâ€™s army. Advertisement\nIt is.";
        let mut b = TextBuilder::new(src);
        let bad = src.find("â€™").unwrap();
        b.copy(0..bad);
        b.replace(bad..bad + "â€™".len(), "’");
        let ad = src.find("Advertisement").unwrap();
        b.copy_to(ad);
        b.copy(ad + "Advertisement\n".len()..src.len());
        let (out, layer) = b.finish(false);
        assert_eq!(out, "Russia’s army. It is.");
        let mut m = OffsetMap::identity();
        m.push(layer);
        // "Russia’s" maps to the whole damaged word.
        let r = m.to_raw(Span::new(0, "Russia’s".len()));
        assert_eq!(&src[r.start..r.end], "Russiaâ€™s");
        // "It is." maps after the deleted line.
        let p = out.find("It").unwrap();
        let r = m.to_raw(Span::new(p, out.len()));
        assert_eq!(&src[r.start..r.end], "It is.");
        // The apostrophe alone maps to its damaged bytes.
        let q = out.find('’').unwrap();
        let r = m.to_raw(Span::new(q, q + '’'.len_utf8()));
        assert_eq!(&src[r.start..r.end], "â€™");
    }

    #[test]
    fn layers_compose() {
        let src = "aa XX bb YY cc";
        let mut b = TextBuilder::new(src);
        b.copy(0..3);
        b.copy(6..src.len()); // drop "XX "
        let (t1, l1) = b.finish(false);
        assert_eq!(t1, "aa bb YY cc");
        let mut b = TextBuilder::new(&t1);
        let y = t1.find("YY").unwrap();
        b.copy(0..y);
        b.replace(y..y + 2, "Z");
        let (t2, l2) = b.finish(true);
        assert_eq!(t2, "aa bb Z cc");
        let mut m = OffsetMap::identity();
        m.push(l1);
        m.push(l2);
        let z = t2.find('Z').unwrap();
        let r = m.to_raw(Span::new(z, t2.len()));
        assert_eq!(&src[r.start..r.end], "YY cc");
        let r = m.to_raw(Span::new(3, 5));
        assert_eq!(&src[r.start..r.end], "bb");
        assert_eq!(m.to_raw_end(t2.len()), src.len());
    }
}
