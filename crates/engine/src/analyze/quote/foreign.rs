//! Attributions written the way French, Spanish, German, Italian and Portuguese news write
//! them: a quote followed by a postposed speech verb and its speaker (`« … », a déclaré la
//! commissaire, Ilse Marrow.`, `“…”, dijo el ministro.`, `„…“, sagte Merkel.`, `« … »,
//! a-t-il ajouté.`), and the one-word equivalents of "according to" (`selon`, `según`,
//! `secondo`, `segundo`, `laut`). The verbs, auxiliaries and pronouns are word lists of
//! `data/quote/words.txt`; the speaker phrase is resolved like an English one.

use super::attrib::{Cx, Found, Link, W};
use super::lexicon::Words;
use crate::record::Span;

impl Cx<'_> {
    /// `« … », a déclaré X.`: the quote closing right before a comma and a postposed speech
    /// verb (with its auxiliary: fr `a`, es/it `ha`, or the inverted `a-t-il`), whose speaker
    /// follows the verb up to the end of the sentence or the next comma that opens another
    /// attribution ("…, selon l’agence X").
    pub fn postposed(&self, ui: usize, w: &[W]) -> Option<Found> {
        let u = self.units[ui].span;
        let k = (1..w.len()).find(|&k| !w[k].inq && w[k].is(Words::ForeignCue))?;
        let aux = &w[k - 1];
        let inverted = aux.lower.starts_with("a-t-");
        let c0 = if !aux.inq
            && (aux.is(Words::ForeignAux) || inverted)
            && self.gap_plain(aux.span.end, w[k].span.start)
        {
            k - 1
        } else {
            k
        };
        // The quote closes right before the cue phrase, with a comma inside or after it.
        let from = if c0 > 0 { w[c0 - 1].span.end } else { u.start };
        let seg = self.segs.iter().find(|s| s.close >= from && s.close <= w[c0].span.start)?;
        let gap = self.slice(seg.content.end, w[c0].span.start);
        if !gap.contains(',') || gap.contains(['.', ';', ':']) {
            return None;
        }
        let cue = Span::new(w[c0].span.start, w[k].span.end);
        let source = if inverted {
            // "a-t-il": the pronoun is the last part of the word.
            let t = aux.span.slice(self.text);
            let p = t.rfind('-')? + 1;
            Span::new(aux.span.start + p, aux.span.end)
        } else {
            self.postposed_speaker(w, k + 1)?
        };
        Some(Found {
            source: Some(source),
            cue: Some(cue),
            content: seg.content,
            direct: true,
            link: Link::None,
        })
    }

    /// The speaker phrase starting at word `i` after a postposed verb: up to the end of the
    /// unit, a quote, or a comma before another attribution; at most 12 words; it must hold a
    /// capitalised word or a pronoun.
    fn postposed_speaker(&self, w: &[W], i: usize) -> Option<Span> {
        // "a affirmé mardi Oskar Venn": a lowercase word before a name (a day, an adverb)
        // is no part of the speaker; an article is ("la commissaire").
        let skip = w.get(i).is_some_and(|x| !x.cap && !x.is(Words::ForeignDet))
            && w.get(i + 1).is_some_and(|x| x.cap && !x.inq);
        let i = i + usize::from(skip);
        let first = w.get(i).filter(|x| !x.inq)?;
        let mut last = first;
        for j in i + 1..w.len().min(i + 12) {
            let gap = self.slice(w[j - 1].span.end, w[j].span.start);
            if w[j].inq || gap.contains(['.', ';', ':', '«', '“', '"', '„']) {
                break;
            }
            if gap.contains(',') && w[j].is(Words::AccordingWord) {
                break;
            }
            last = &w[j];
        }
        let span = Span::new(first.span.start, last.span.end);
        let named = w
            .iter()
            .filter(|x| span.contains(x.span))
            .any(|x| x.cap || x.is(Words::ForeignPronoun) || x.is(Words::Pronoun));
        named.then_some(span)
    }

    /// `selon X, …` / `…, según X.`: an "according to" in one word.
    pub fn according_word(&self, ui: usize, w: &[W], k: usize) -> Option<Found> {
        if w[k].inq || !w[k].is(Words::AccordingWord) {
            return None;
        }
        let f = self.according_n(ui, w, k, 1)?;
        // "« … », a affirmé X, selon l’AFP": the clause before is itself an attribution, read
        // by [`Cx::postposed`].
        let nested = f.content.end <= w[k].span.start
            && w.iter().any(|x| f.content.contains(x.span) && !x.inq && x.is(Words::ForeignCue));
        (!nested).then_some(f)
    }
}
