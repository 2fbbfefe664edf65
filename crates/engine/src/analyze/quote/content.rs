//! Content after a cue: the clause, quote or question a cue introduces (`X said (that) …`,
//! `X asked whether …`, `X urged Y to …`, `X vowed to …`), where that clause ends (at the
//! next attribution), and `according to X`. Split from [`super::attrib`], which reads the
//! shape of the sentence around a cue and calls these.

use super::attrib::{has_opener, is_ask, strip_final_period, Cx, Found, Link, W};
use super::lexicon::{cue_class, is, Class, Words};
use super::trim_span;
use crate::record::Span;
use crate::text::tokens;

impl Cx<'_> {
    /// The content introduced after cue `k`.
    pub(super) fn content_after(
        &self,
        ui: usize,
        w: &[W],
        k: usize,
        class: Class,
    ) -> Option<(Span, bool)> {
        let u = self.units[ui].span;
        let lower = w[k].lower.as_str();
        let objecty = takes_object(lower);
        if let Some(c) = self.question_or_request(ui, w, k) {
            return Some((c, false));
        }
        let mut start = w[k].span.end;
        let marker = self.marker_after(w, k);
        let told = matches!(lower, "told" | "tells" | "tell" | "telling");
        if let Some(m) = marker {
            start = m;
        } else if let Some(m) = told.then(|| self.after_object(w, k)).flatten() {
            start = m; // "he told POLITICO he had kept up his paid speaking schedule"
        } else {
            let bare = matches!(class, Class::Say | Class::Verb)
                || matches!(lower, "saying" | "adding" | "noting");
            let mut i = k + 1;
            while w.get(i).is_some_and(|x| x.is(Words::TimeWord) && !x.inq) {
                start = w[i].span.end;
                i += 1;
            }
            let first = w.get(i).filter(|x| !x.inq);
            // ", claiming he was fired", ", arguing the U.S. should …": a participle takes a
            // bare clause opened by a pronoun, a name or "the".
            let bare = bare
                || class == Class::Ing
                    && first.is_some_and(|x| {
                        x.cap && !x.lower.ends_with("ing")
                            || matches!(
                                x.lower.as_str(),
                                "he" | "she" | "they" | "it" | "we" | "i" | "there" | "the"
                            )
                    });
            let indefinite = class == Class::Verb
                && first.is_some_and(|x| matches!(x.lower.as_str(), "a" | "an"));
            if !bare
                || objecty
                || indefinite
                || first.is_some_and(|x| {
                    x.is(Words::AdjunctOpener)
                        || matches!(
                            x.lower.as_str(),
                            "by" | "of" | "as" | "when" | "while" | "because" | "so"
                        )
                })
            {
                return None;
            }
        }
        let rest = self.slice(start, u.end);
        let r =
            start + (rest.len() - rest.trim_start_matches([' ', ',', ':', '—', '\u{a0}']).len());
        if r >= u.end {
            let next = self.units.get(ui + 1)?;
            let seg = self.seg_at(next.span.start)?;
            return Some((seg.content, true));
        }
        if let Some(seg) = self.seg_at(r) {
            let after = self.slice(seg.close, u.end).trim_start();
            let inner = self.slice(seg.content.end, seg.close);
            let ends = after.is_empty()
                || inner.contains([',', '.', '?', '!'])
                || after.starts_with(['.', ',', ';', ')', '('])
                || after.starts_with("and")
                    && after
                        .split_whitespace()
                        .take(3)
                        .any(|x| cue_class(x.trim_end_matches([':', ','])).is_some());
            if ends {
                return Some((seg.content, true));
            }
        }
        let mut end = self.clause_end(ui, w, k, r);
        // "While Ramos said that …, he appears uneasy": a subordinate clause ends at its comma.
        let sub = w.first().is_some_and(|x| x.is(Words::Subordinator))
            && !self.slice(u.start, w[k].span.start).contains(',');
        if sub {
            let comma = w.iter().skip(k + 1).find(|x| {
                !x.inq && x.span.start > r && self.slice(r, x.span.start).ends_with(", ")
            });
            if let Some(c) = comma {
                end = end.min(c.span.start);
            }
        }
        let content = trim_span(self.text, Span::new(r, end), &[',', ';', '—']);
        let content = strip_final_period(self.text, content);
        let nwords = w.iter().filter(|x| content.contains(x.span)).count();
        // "X said the Kremlin sees turmoil: “We see …”": the quote after the colon is the
        // utterance itself.
        let colon_quote = self.segs.iter().find(|sg| {
            sg.open > content.start
                && sg.open < content.end
                && sg.content.end <= content.end + 4
                && sg.content.end + 4 >= content.end
                && self.slice(content.start, sg.open).trim_end().ends_with(':')
                && tokens(sg.content.slice(self.text)).len() >= 4
        });
        if let Some(sg) = colon_quote {
            return Some((sg.content, true));
        }
        // Indirect speech keeps its complementiser, as PolNeAR and PARC annotate it:
        // "X said that …" has content "that …".
        let that = marker.and_then(|m| w.iter().find(|x| x.span.end == m && x.lower == "that"));
        let content = match that {
            Some(x) if x.span.start < content.start => Span::new(x.span.start, content.end),
            _ => content,
        };
        (nwords >= 2).then_some((content, false))
    }

    /// After "told": the end of a short object ("POLITICO", "The Huffington Post",
    /// "reporters", "me") when a clause opened by a pronoun, determiner or name follows.
    pub(super) fn after_object(&self, w: &[W], k: usize) -> Option<usize> {
        let first = w.get(k + 1).filter(|x| !x.inq)?;
        let pron_obj =
            matches!(first.lower.as_str(), "me" | "us" | "him" | "her" | "them" | "reporters");
        let mut i = k + 2;
        if !pron_obj {
            if !(first.cap || first.lower == "the") {
                return None;
            }
            // "told TheBlaze founder Glenn Beck he …": names and roles.
            while i < w.len()
                && i - k <= 5
                && (w[i].cap || w[i].role)
                && self.gap_plain(w[i - 1].span.end, w[i].span.start)
            {
                i += 1;
            }
        }
        while w.get(i).is_some_and(|x| x.is(Words::TimeWord) && !x.inq) {
            i += 1;
        }
        let next = w.get(i).filter(|x| !x.inq)?;
        let opens = matches!(
            next.lower.as_str(),
            "he" | "she" | "they" | "it" | "we" | "i" | "the" | "there"
        ) || next.cap && !pron_obj;
        (opens && self.gap_plain(w[i - 1].span.end, next.span.start)).then(|| w[i - 1].span.end)
    }

    /// `X asked (Y) whether …` / `X urged Y to …`: an indirect question or request after
    /// the cue (and its object).
    pub(super) fn question_or_request(&self, ui: usize, w: &[W], k: usize) -> Option<Span> {
        let lower = w[k].lower.as_str();
        // "X vowed to fight on": a promise's content is its infinitive.
        let promise = is(Words::PromiseCue, lower);
        let to = w.get(k + 1).filter(|x| x.lower == "to" && !x.inq);
        let verb = w.get(k + 2).is_some_and(|y| !y.inq && !y.cap && !y.is(Words::Det));
        if let (true, Some(t), true) = (promise, to, verb) {
            let end = self.clause_end(ui, w, k, t.span.start);
            let c = trim_span(self.text, Span::new(t.span.start, end), &[',', ';', '—']);
            return Some(strip_final_period(self.text, c));
        }
        let ask = is_ask(lower);
        let request = ask || is(Words::RequestCue, lower);
        if !request {
            return None;
        }
        let mut from = None;
        for i in k + 1..w.len().min(k + 9) {
            let x = &w[i];
            if x.inq || !self.gap_plain(w[i - 1].span.end, x.span.start) {
                break;
            }
            let wh = x.is(Words::Wh);
            if ask && wh {
                from = Some(x.span.start);
                break;
            }
            // "asked Bennett about the comments", "Asked Tuesday about Sullivan": the topic
            // of a question is its content.
            if ask && x.lower == "about" {
                from = w.get(i + 1).filter(|y| !y.inq).map(|y| y.span.start);
                break;
            }
            // "asked on Monday whether …": a time phrase before the question.
            let time = x.lower == "on" && w.get(i + 1).is_some_and(|y| y.is(Words::TimeWord))
                || x.is(Words::TimeWord);
            if ask && time {
                continue;
            }
            if x.lower == "to" && i >= k + 2 {
                let verb = w.get(i + 1).is_some_and(|y| {
                    !y.inq && !y.cap && !y.is(Words::Det) && !y.is(Words::Pronoun)
                });
                if verb {
                    from = Some(w[k + 1].span.start);
                }
                break;
            }
            let object = matches!(x.lower.as_str(), "him" | "them" | "us" | "me" | "not");
            if x.cue.is_some() || x.is(Words::NpStop) && !object {
                break;
            }
        }
        let from = from?;
        let mut end = self.clause_end(ui, w, k, from);
        let fronted = k == 0
            || matches!(w[k - 1].lower.as_str(), "when" | "if" | "after" | "before" | "while");
        if fronted {
            // "When asked whom she supported, Ms. Sherry smiled": the question ends at the comma.
            if let Some(c) = self.slice(from, end).find(',') {
                end = from + c;
            }
        }
        let c = strip_final_period(
            self.text,
            trim_span(self.text, Span::new(from, end), &[',', ';', '—']),
        );
        (tokens(c.slice(self.text)).len() >= 2).then_some(c)
    }

    /// Where content starts after cue `k` when a marker ("that", a quote, a colon or comma)
    /// follows within a few words.
    pub(super) fn marker_after(&self, w: &[W], k: usize) -> Option<usize> {
        if self.infinitive_after(w, k) {
            return None; // "Russia continues to engage …, including Iran": no speech
        }
        let mut prev_end = w[k].span.end;
        for x in w.iter().skip(k + 1).take(13) {
            let gap = self.slice(prev_end, x.span.start);
            if has_opener(gap)
                || gap.contains(':')
                || gap.contains(',') && prev_end != w[k].span.end
            {
                return Some(prev_end + gap.find([':', ',']).map_or(0, |p| p + 1).min(gap.len()));
            }
            // "fighting continues, particularly in …": a cue that needs "that" or a quote takes
            // no content after a bare comma.
            if gap.contains(',') && w[k].cue == Some(Class::That) {
                return None;
            }
            if gap.contains(',') {
                return Some(prev_end + gap.find(',').map_or(0, |p| p + 1));
            }
            if gap.contains(['.', ';', '(', ')']) || x.inq {
                return None;
            }
            if x.lower == "that" {
                return Some(x.span.end);
            }
            // "said of Congress: …": the topic before a colon or a quote.
            let adverb = x.lower.ends_with("ly")
                || matches!(x.lower.as_str(), "more" | "again" | "further" | "of");
            if prev_end == w[k].span.end
                && !x.is(Words::AdjunctOpener)
                && !adverb
                && !takes_object(&w[k].lower)
            {
                return None;
            }
            if x.cue.is_some() {
                return None;
            }
            prev_end = x.span.end;
        }
        let u = self
            .units
            .iter()
            .find(|u| u.span.contains(w[k].span))
            .map_or(w[k].span.end, |u| u.span.end);
        let gap = self.slice(w[k].span.end, w.get(k + 1).map_or(u, |x| x.span.start));
        let colon = gap.trim_start().starts_with(':');
        (has_opener(gap) || colon).then_some(w[k].span.end + gap.find(':').map_or(0, |p| p + 1))
    }

    /// `continues to engage`, `reported to be`: cue `k` followed by "to" and a verb is no
    /// verb of saying here (a later comma opens no content of it). Promises and requests
    /// ("vowed to fight", "urged to act") are read before this.
    fn infinitive_after(&self, w: &[W], k: usize) -> bool {
        let (Some(to), Some(v)) = (w.get(k + 1), w.get(k + 2)) else {
            return false;
        };
        // A plural in -s is a noun ("said to reporters"), not a verb.
        let noun = v.lower.ends_with('s') && !v.lower.ends_with("ss");
        to.lower == "to"
            && !to.inq
            && !v.inq
            && !v.cap
            && !noun
            && !v.is(Words::Det)
            && !v.is(Words::Pronoun)
            && !v.lower.starts_with(|c: char| c.is_ascii_digit())
            && self.gap_plain(w[k].span.end, to.span.start)
            && self.gap_plain(to.span.end, v.span.start)
    }

    /// End of the clause starting at `from`: the next cue's clause, else the unit end.
    pub(super) fn clause_end(&self, ui: usize, w: &[W], k: usize, from: usize) -> usize {
        let u = self.units[ui].span;
        for m in k + 1..w.len() {
            if w[m].span.start <= from || w[m].inq || w[m].cue.is_none() {
                continue;
            }
            // A cheap test (not `attribute`, whose recursion would be exponential in the
            // number of cue words of a long sentence): the cue has a speaker or a connector.
            let joined = matches!(w[m - 1].lower.as_str(), "and" | "but")
                || self.slice(w[m - 1].span.end, w[m].span.start).contains(',');
            let ing = w[m].cue == Some(Class::Ing);
            if w[m].cap || !(joined || ing || self.np_back(w, m).is_some()) {
                continue;
            }
            // "a tax overhaul would add …", "in which she said …": inside the clause.
            let modal = w[m - 1].is(Words::Modal);
            let np = self.np_back(w, m);
            let relative = np.is_some_and(|(a, _)| {
                a > 0 && matches!(w[a - 1].lower.as_str(), "which" | "whom" | "who" | "that")
            });
            if modal || relative {
                continue;
            }
            let start = np.map_or(w[m].span.start, |(a, _)| w[a].span.start);
            let mut end = start;
            loop {
                let t = self.slice(from, end).trim_end();
                let t2 = t.trim_end_matches([',', ';', '—']).trim_end();
                let t3 = t2.strip_suffix(" and").or_else(|| t2.strip_suffix(" but")).unwrap_or(t2);
                if t3.len() == t.len() {
                    break;
                }
                end = from + t3.len();
            }
            if end > from + 3 {
                return end;
            }
        }
        u.end
    }

    /// `according to X, …` / `…, according to X.`
    pub(super) fn according(&self, ui: usize, w: &[W], k: usize) -> Option<Found> {
        self.according_n(ui, w, k, 2)
    }

    /// `according to X` (`n` = 2 cue words) or its one-word equivalents in other languages
    /// (`selon X`, `según X`, `secondo X`: `n` = 1): the source starts at word `k + n`.
    pub(super) fn according_n(&self, ui: usize, w: &[W], k: usize, n: usize) -> Option<Found> {
        let u = self.units[ui].span;
        let cue = Span::new(w[k].span.start, w.get(k + n - 1)?.span.end);
        // "…, according to a senior official who spoke on the condition of anonymity.": a
        // source that runs to the end of the sentence is taken whole.
        let source =
            self.to_comma(w, k + n).or_else(|| self.to_end(ui, w, k + n)).or_else(|| {
                // An apposition after the name is no part of it here: the content may follow.
                let s = self.np_after(w, k + n)?;
                let cut =
                    s.slice(self.text).find(',').map_or(s, |c| Span::new(s.start, s.start + c));
                Some(self.extend_to_comma(w, cut))
            })?;
        let before = self.slice(u.start, cue.start).trim_end();
        let nbefore = w.iter().take_while(|x| x.span.end <= cue.start).count();
        // "While most were confidential, according to X, two were secret": the main clause
        // follows.
        let subordinate = w.first().is_some_and(|x| {
            matches!(x.lower.as_str(), "while" | "although" | "though" | "if" | "when" | "as")
        }) && self.slice(source.end, u.end).trim_start().starts_with(',');
        let content = if before.ends_with([',', '—']) && nbefore >= 3 && !subordinate {
            trim_span(self.text, Span::new(u.start, cue.start), &[',', '—'])
        } else {
            let r = self.slice(source.end, u.end);
            let r0 = source.end + (r.len() - r.trim_start_matches([' ', ',', ':']).len());
            if let Some(seg) = self.seg_at(r0) {
                seg.content
            } else {
                strip_final_period(self.text, trim_span(self.text, Span::new(r0, u.end), &[',']))
            }
        };
        if content.is_empty() {
            return None;
        }
        let direct = self.segs.iter().any(|s| s.content == content);
        Some(Found { source: Some(source), cue: Some(cue), content, direct, link: Link::None })
    }

    /// The words from `i` to the end of unit `ui` when they are a short plain phrase
    /// ("…, according to new Crowdpac research.").
    pub(super) fn to_end(&self, ui: usize, w: &[W], i: usize) -> Option<Span> {
        let first = w.get(i).filter(|x| !x.inq)?;
        let last = w.last()?;
        let u = self.units[ui].span;
        let tail = self.slice(last.span.end, u.end).trim();
        let inner = self.slice(first.span.start, last.span.end);
        let ok = w.len() - i <= 15
            && tail.chars().all(|c| matches!(c, '.' | ')' | '”' | '"'))
            && !inner.contains([',', ';', ':'])
            && !inner.contains(". ")
            && !has_opener(inner);
        ok.then(|| Span::new(first.span.start, last.span.end))
    }
}

/// Cue verbs that take the addressee as their object ("told reporters", "asked him").
fn takes_object(lower: &str) -> bool {
    is(Words::ObjectCue, lower)
}
