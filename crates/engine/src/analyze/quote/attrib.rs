//! Reading one cue in the shape of its sentence: the quote before it (`“…,” he said`), the
//! clause before it (`…, officials said.`), or the content after it (`X said that …`,
//! `X said: “…”`, `according to X, …`), plus quotes without a cue that continue an
//! attributed one.

use super::lexicon::{self, cue_class, is, is_pronoun, is_role, opens_adjunct, Class, Words};
use super::marks::{is_opener, Seg, Unit};
use super::trim_span;
use crate::record::Span;
use crate::text::{fold, tokens};

/// Where a quote without its own source takes its speaker from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Nowhere: the speaker is its source, or unknown.
    None,
    /// The clause it belongs to (resolved after the unit is read).
    Clause,
    /// The speaker of an earlier found quote.
    Found(usize),
    /// The subject of unit `n`.
    Subject(usize),
}

/// An attribution found, before speaker resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Source as written.
    pub source: Option<Span>,
    /// Cue.
    pub cue: Option<Span>,
    /// Content.
    pub content: Span,
    /// Whether the content is exactly a quoted segment.
    pub direct: bool,
    /// Where the speaker comes from when there is no source.
    pub link: Link,
}

impl Found {
    /// Position used to order speaker resolution: the source, else the cue, else content.
    pub fn anchor(&self) -> usize {
        self.source.or(self.cue).unwrap_or(self.content).start
    }
}

/// A word of a unit.
#[derive(Debug, Clone)]
pub struct W {
    pub(super) span: Span,
    pub(super) lower: String,
    pub(super) cap: bool,
    pub(super) inq: bool,
    /// The word lists holding `lower` ([`lexicon::bits`]), looked up once.
    pub(super) lex: u64,
    /// Whether `lower` is a role noun or title.
    pub(super) role: bool,
    /// The cue class of `lower`, if it is a verb of saying.
    pub(super) cue: Option<Class>,
}

impl W {
    /// Whether the word is in `list` (from the bits looked up when the word was read).
    pub(super) fn is(&self, list: Words) -> bool {
        lexicon::has(self.lex, list)
    }
}

/// The article being read.
pub struct Cx<'a> {
    /// Its text.
    pub text: &'a str,
    /// Quoted segments.
    pub segs: &'a [Seg],
    /// Quote-aware sentence units.
    pub units: &'a [Unit],
}

impl<'a> Cx<'a> {
    pub(super) fn slice(&self, a: usize, b: usize) -> &'a str {
        self.text.get(a..b).unwrap_or("")
    }

    /// The words of unit `ui`.
    pub fn words(&self, ui: usize) -> Vec<W> {
        let u = self.units[ui].span;
        tokens(u.slice(self.text))
            .into_iter()
            .map(|t| {
                let span = Span::new(t.span.start + u.start, t.span.end + u.start);
                let lower = fold(t.text);
                let lex = lexicon::bits(&lower);
                W {
                    span,
                    lex,
                    // A compound role ("Regierungssprecher") is in no list.
                    role: lex & lexicon::ROLE_BIT != 0
                        || (lower.ends_with('.') || lex == 0) && is_role(&lower),
                    cue: lexicon::cue_of(lex),
                    lower,
                    cap: t.text.chars().next().is_some_and(char::is_uppercase),
                    inq: self.segs.iter().any(|s| s.open < span.start && span.start < s.close),
                }
            })
            .collect()
    }

    pub(super) fn seg_at(&self, pos: usize) -> Option<&'a Seg> {
        self.segs.iter().find(|s| s.open == pos)
    }

    /// The attribution introduced by word `k` of unit `ui`, if it is a cue.
    pub fn attribute(&self, ui: usize, w: &[W], k: usize) -> Option<Found> {
        let word = &w[k];
        if word.inq {
            return None;
        }
        if word.lower == "according" && w.get(k + 1).is_some_and(|x| x.lower == "to" && !x.inq) {
            return self.according(ui, w, k);
        }
        if word.is(Words::AccordingWord) {
            return self.according_word(ui, w, k);
        }
        if let Some(f) = self.negated_reply(ui, w, k) {
            return Some(f);
        }
        let class = word.cue?;
        if word.cap && k > 0 && !(class == Class::Say && self.headline(ui, w)) {
            return None; // "the United States", "Reports" in a title
        }
        if word.is(Words::NounlikeCue) {
            if w.get(k + 1).is_some_and(|x| x.cue.is_some()) {
                return None; // "unconfirmed reports suggest"
            }
            let (a, b) = self.np_back(w, k)?;
            // A named or role subject ("Ryan, a policy-focused conservative, insists", "The
            // candidate claims"), not a count of things ("30 states", "the United States").
            let head = &w[b - 1].lower;
            let name = w[a..b].iter().any(|x| x.cap && !x.is(Words::Det) && x.lower != "united")
                || is_pronoun(head)
                || is_role(head);
            let quantity = |l: &str| {
                l.starts_with(|c: char| c.is_ascii_digit())
                    || l.ends_with("ty")
                    || is(Words::Count, l)
            };
            if !name || w[a..b].iter().any(|x| quantity(&x.lower)) {
                return None;
            }
        }
        // "the said agreement", "his reported remarks"; a quantity is a subject ("many argue").
        let article = is(Words::Article, w.get(k.wrapping_sub(1)).map_or("", |x| x.lower.as_str()));
        if article && self.gap_plain(w[k - 1].span.end, word.span.start) {
            return None;
        }
        // "wrote a letter to …", "wrote his dissertation on …": an object, not speech, unless
        // "that" or a quote follows; "reported from Oakland": a byline.
        let next = w.get(k + 1).map_or("", |x| x.lower.as_str());
        let written_object = matches!(word.lower.as_str(), "wrote" | "writes" | "write")
            && is(Words::ObjectDet, next)
            && !w.iter().skip(k + 2).take(8).any(|x| x.lower == "that" || x.inq);
        if written_object || word.lower.starts_with("report") && next == "from" {
            return None;
        }
        if self.noun_after_article(w, k) {
            return None; // "A news report published Wednesday said", "a pool report"
        }
        self.after_quote(ui, w, k)
            .or_else(|| self.after_clause(ui, w, k, class))
            .or_else(|| self.before(ui, w, k, class))
    }

    /// Whether cue `k` is a noun: a base form that is also a noun ("report", "claim") after
    /// an article and at most two modifiers, with nothing but spaces between ("a pool
    /// report", "the congressional report"). Plural subjects ("officials report") have no
    /// article, so they stay cues.
    pub(super) fn noun_after_article(&self, w: &[W], k: usize) -> bool {
        if !is_noun_cue(&w[k].lower) {
            return false;
        }
        (k.saturating_sub(3)..k).rev().any(|m| {
            matches!(w[m].lower.as_str(), "a" | "an" | "the" | "this" | "that")
                && (m..k).all(|q| {
                    !w[q].inq
                        && self.gap_plain(w[q].span.end, w[q + 1].span.start)
                        && (q == m || !w[q].lower.ends_with("ly"))
                        && w[q].cue.is_none()
                })
        })
    }

    /// `John Bolton: ‘…’`, `TAPPER: And obviously …`: a unit opened by a name and a colon
    /// (headlines and transcripts) is that person's utterance.
    pub fn colon_speaker(&self, ui: usize, w: &[W]) -> Option<Found> {
        let u = self.units[ui].span;
        let n = (1..w.len().min(5))
            .find(|&i| self.slice(w[i - 1].span.end, w[i].span.start).trim().starts_with(':'))?;
        let name = &w[..n];
        let plain = (1..n).all(|i| self.gap_plain(w[i - 1].span.end, w[i].span.start));
        let label = name[0].is(Words::ColonLabel);
        if !plain || label || name.iter().any(|x| !x.cap || x.inq) || w[0].span.start != u.start {
            return None;
        }
        let colon_at =
            self.slice(w[n - 1].span.end, w[n].span.start).find(':')? + w[n - 1].span.end;
        let cue = Span::new(colon_at, colon_at + 1);
        let rest = self.slice(cue.end, u.end);
        let r = cue.end + (rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len());
        // "Reid: 'Never underestimate him.'": a headline quote in straight single quotes.
        let single = self.slice(r, u.end).starts_with('\'').then(|| {
            let inner = self.slice(r + 1, u.end).trim_end_matches(['.', ' ']);
            inner.strip_suffix('\'').filter(|t| !t.contains('\'')).map(|t| {
                let t = t.trim_end_matches(['.', ',', ' ']);
                Span::new(r + 1, r + 1 + t.len())
            })
        });
        let (content, direct) = match self.seg_at(r) {
            Some(seg) => (seg.content, true),
            None if single.flatten().is_some() => (single.flatten()?, true),
            None => (
                strip_final_period(self.text, trim_span(self.text, Span::new(r, u.end), &[])),
                false,
            ),
        };
        // Headline labels ("The Latest: …", "AP-GfK Poll: …") take no quote; transcripts
        // write the speaker in capitals ("TAPPER: …").
        let transcript = n == 1
            && w[0].span.len() >= 3
            && w[0].span.slice(self.text).chars().all(|c| c.is_uppercase());
        if tokens(content.slice(self.text)).len() < 3
            || !(direct || transcript)
            || w[0].lower == "the"
        {
            return None;
        }
        let source = Span::new(w[0].span.start, w[n - 1].span.end);
        Some(Found { source: Some(source), cue: Some(cue), content, direct, link: Link::None })
    }

    /// `… surprise Republican pollster Daron Shaw: “Historically, …”`: a name right before a
    /// colon that opens a quote is its speaker (the unit need not start with the name).
    pub fn colon_quote(&self, w: &[W]) -> Option<Found> {
        let n = (1..w.len()).find(|&i| {
            !w[i - 1].inq
                && self.slice(w[i - 1].span.end, w[i].span.start).trim_start().starts_with(':')
                && w[i - 1].cap
        })?;
        let colon = w[n - 1].span.end + self.slice(w[n - 1].span.end, w[n].span.start).find(':')?;
        let rest = self.slice(colon + 1, w[n].span.start);
        let seg = self.seg_at(colon + 1 + rest.len() - rest.trim_start().len())?;
        let (mut a, b) = self.collect_np(w, n)?;
        while a < b && !w[a].cap && !w[a].role && !w[a].is(Words::Det) {
            a += 1; // "surprise GOP pollster X": the verb before the name is no part of it
        }
        if a >= b {
            return None;
        }
        let named = w[a..b].iter().filter(|x| x.cap).count() >= 2 || w[a..b].iter().any(|x| x.role);
        if !named || w[a..b].iter().any(|x| x.inq) || tokens(seg.content.slice(self.text)).len() < 3
        {
            return None;
        }
        Some(Found {
            source: Some(Span::new(w[a].span.start, w[b - 1].span.end)),
            cue: Some(Span::new(colon, colon + 1)),
            content: seg.content,
            direct: true,
            link: Link::None,
        })
    }

    /// Whether unit `ui` is a title-case headline ("Trump Says He’s Unlikely To …").
    fn headline(&self, ui: usize, w: &[W]) -> bool {
        let caps = w.iter().filter(|x| x.cap).count();
        let u = self.units[ui].span;
        let own_line = self.text.get(u.end..).is_none_or(|r| {
            r.trim_start_matches(['.', ' ']).starts_with('\n') || r.trim().is_empty()
        });
        w.len() >= 4 && caps * 10 >= w.len() * 8 && own_line
    }

    pub(super) fn gap_plain(&self, a: usize, b: usize) -> bool {
        self.slice(a, b).chars().all(|c| c == ' ' || c == '\u{a0}')
    }

    /// `“…,” he said` / `“…,” said X` / `“…,” X, a spokesman, said`.
    fn after_quote(&self, ui: usize, w: &[W], k: usize) -> Option<Found> {
        let u = self.units[ui].span;
        let cue = w[k].span;
        let seg = self.segs.iter().rev().find(|s| {
            // "“Q?” Sanders replied.": the splitter may end a unit after "?”".
            let adjacent = s.close <= u.start
                && self.units.iter().any(|v| v.span.start == s.open)
                && self.slice(s.close, u.start).chars().all(|c| c == ' ' || c == '\u{a0}')
                && self.short_attribution(w, k);
            s.close <= cue.start && (s.close > u.start.saturating_sub(1) || adjacent)
        })?;
        let region = self.slice(seg.close, cue.start);
        let inner_end = self.slice(seg.content.end, seg.close);
        let ends_punct = seg
            .content
            .slice(self.text)
            .trim_end_matches(['\'', '’'])
            .ends_with(['?', '!', '.', '—', ',']);
        let punct_in = inner_end.contains([',', '?', '!', '—', '–'])
            || ends_punct
            || seg.content.end == seg.close;
        let lead = region.trim_start();
        let punct_out = lead.starts_with([',', '—', '–']);
        let between: Vec<&W> =
            w.iter().filter(|x| x.span.start >= seg.close && x.span.end <= cue.start).collect();
        // "“The caucus is a battle of niches” Grubbs said.": a bare quote right before a short
        // attribution that ends the sentence needs no comma.
        let bare = between.len() <= 3
            && self.gap_plain(seg.close, between.first().map_or(cue.start, |x| x.span.start))
            && self.slice(cue.end, u.end).trim_start().starts_with(['.', '!', '?'])
            && between.iter().all(|x| x.cap || x.is(Words::Pronoun));
        if !(punct_in || punct_out || bare)
            || has_opener(region)
            || region.contains([';', ':', '.'].as_ref()) && !between.iter().any(|x| x.role)
            || between.len() > 16
            || between.iter().any(|x| x.cue.is_some())
        {
            return None;
        }
        let u_end = self.units[ui].span.end;
        let rest = self.slice(cue.end, u_end).trim_start();
        let next = w.get(k + 1).filter(|x| !x.inq);
        let clause_follows = !rest.is_empty()
            && !rest.starts_with(['.', ',', ';', ':', '!', '?', ')', '—'])
            && next.is_some_and(|x| {
                matches!(x.lower.as_str(), "he" | "she" | "they" | "we" | "i" | "there")
            })
            && !matches!(w[k].lower.as_str(), "told" | "tells" | "asked" | "telling" | "asks");
        // "Speaking on ABC’s “This Week,” Carson admitted that …": the cue's own "that"
        // clause is its content, the quote before it a title.
        let that_follows =
            next.is_some_and(|x| x.lower == "that") && w.get(k + 2).is_some_and(|x| !x.inq);
        // "Sunday on Fox’s “Morning Futures,” Rep. Issa said Clinton’s judgment is …": a
        // quote inside the unit (a title) before a cue that has a clause of its own.
        let inside = seg.open > u.start && !self.units.iter().any(|v| v.span.start == seg.open);
        let after_cue: Vec<&W> = w.iter().skip(k + 1).filter(|x| !x.inq).collect();
        let own_clause = inside
            && after_cue.len() >= 4
            && !rest.starts_with(['.', ',', ';', ':', '!', '?', ')', '—'])
            && next.is_some_and(|x| !is_adjunct_start(&x.lower))
            && !takes_addressee(&w[k].lower);
        if !between.is_empty() && (clause_follows || that_follows || own_clause) {
            return None; // "“…,” he claimed they had never met": the cue has its own content
        }
        let source = if between.is_empty() {
            let s = self.np_after(w, k + 1)?;
            let after = self.slice(s.end, u_end).trim_start();
            let pronoun = is_pronoun(&fold(s.slice(self.text)));
            if pronoun && after.starts_with(char::is_alphanumeric) {
                return None; // "“sociopath,” said he doesn’t believe …": not inverted
            }
            // "X, citing ''the magic of Trump,'' said the candidate could …": a clause after
            // the phrase, so the phrase is the subject of that clause, not an inverted source.
            let next_after = w.iter().find(|x| x.span.start >= s.end);
            let clause = after.starts_with(char::is_alphanumeric)
                && next_after.is_some_and(|x| !x.inq && !x.cap && !is_adjunct_start(&x.lower));
            if clause {
                return None;
            }
            Some(s)
        } else {
            let first = between.first()?;
            // "Bill Clinton has said", "Mr. Ruiz also said": auxiliaries and adverbs before the
            // cue are no part of the source.
            let keep = between
                .iter()
                .rposition(|x| !x.is(Words::Skippable) || x.cap)
                .map_or(between.len(), |p| p + 1);
            let end = between.get(keep.max(1) - 1)?.span.end;
            let s = Span::new(first.span.start, end);
            let head = between
                .iter()
                .take_while(|x| !self.slice(first.span.start, x.span.end).contains(','))
                .last()?;
            // "spokesman Stuart Roy", "critics", "the report": a name, a role or a short NP.
            let named = between.len() <= 8 && between.iter().any(|x| x.cap || x.role);
            let short_np = (between.len() <= 4 || named)
                && between.iter().all(|x| !x.is(Words::NpStop) && !x.inq);
            (first.cap
                || first.is(Words::Det)
                || first.is(Words::Pronoun)
                || head.role
                || first.role
                || short_np)
                .then_some(s)
        }?;
        let (content, direct) =
            self.mixed_quote(u, seg).map_or((seg.content, true), |c| (c, false));
        Some(Found { source: Some(source), cue: Some(cue), content, direct, link: Link::None })
    }

    /// `golf clubs are ''just scratching out a profit,'' Mr. Hedge said`: a quote that ends a
    /// clause begun outside the marks is content together with that clause.
    fn mixed_quote(&self, u: Span, seg: &Seg) -> Option<Span> {
        if seg.open <= u.start {
            return None;
        }
        let prefix = self.slice(u.start, seg.open);
        let words = tokens(prefix);
        let opener_inside = self.segs.iter().any(|s| s.open >= u.start && s.open < seg.open);
        if words.is_empty()
            || opener_inside
            || prefix.contains([':', ';'])
            || prefix.trim_end().ends_with(',')
            || words.iter().any(|t| cue_class(&fold(t.text)).is_some())
        {
            return None;
        }
        let start = trim_span(self.text, Span::new(u.start, seg.open), &[]).start;
        Some(Span::new(start, seg.content.end))
    }

    /// Whether cue `k` ends an attribution-only unit ("Sanders replied.", "he said of
    /// Apple in February."), not a sentence with content of its own ("He said the …").
    fn short_attribution(&self, w: &[W], k: usize) -> bool {
        let Some(next) = w.get(k + 1) else {
            return true;
        };
        let gap = self.slice(w[k].span.end, next.span.start);
        let inverted = k == 0 || w[..k].iter().all(|x| x.cap && !x.is(Words::Pronoun));
        gap.contains([',', '.', ';', '!', '?'])
            || next.is(Words::AdjunctOpener)
            || matches!(next.lower.as_str(), "of" | "about" | "as" | "when" | "while" | "with")
            || k == 0 && inverted
    }

    /// `…, officials said.` / `…, said X.` / `A, X said, B.` (the whole sentence is content
    /// unless `A` is a fronted adjunct such as "In the end", then `before` takes `B`).
    fn after_clause(&self, ui: usize, w: &[W], k: usize, class: Class) -> Option<Found> {
        if class == Class::Ing {
            return None;
        }
        let u = self.units[ui].span;
        // "…, he pointed out, …": the particle of a phrasal cue belongs to it.
        let particle = w
            .get(k + 1)
            .filter(|x| x.lower == "out" && !x.inq && self.gap_plain(w[k].span.end, x.span.start));
        let cue = Span::new(w[k].span.start, particle.map_or(w[k].span.end, |x| x.span.end));
        let rest = self.slice(cue.end, u.end).trim_start();
        let next = w.get(k + 1 + usize::from(particle.is_some())).filter(|x| !x.inq);
        let (source, clause_end, after) = if let Some((a, b)) = self.np_back(w, k) {
            let to_quote = rest
                .trim_start_matches([',', ':', ' '])
                .starts_with(|c: char| is_opener(c) || c == '\'' || c == '`');
            let rest_ok = !to_quote
                && (rest.is_empty()
                    || rest.starts_with(['.', ',', '!', '?', ';'])
                    || next
                        .is_some_and(|x| x.is(Words::AdjunctOpener) && !self.has_that(w, k + 1))
                    || matches!(w[k].lower.as_str(), "told" | "tells")
                        && !self.has_that(w, k + 1)
                        && !self.clause_after_object(w, k));
            if matches!(w[a].lower.as_str(), "who" | "which") {
                return None; // ", who had previously pledged …": a relative clause
            }
            // "…, sporadic fighting continues, particularly …": a cue that needs "that" ends a
            // clause only after a speaker (a name, a pronoun, a role, a determiner or a plural
            // head), not after any noun that may "continue".
            let speaker_like = w[a..b].iter().any(|x| {
                x.cap
                    || x.role
                    || x.is(Words::Pronoun)
                    || x.is(Words::Det)
                    || x.is(Words::PluralHead)
            });
            if class == Class::That && !speaker_like {
                return None;
            }
            let a = self.extend_left_to_comma(w, a);
            let before = self.slice(u.start, w[a].span.start).trim_end();
            if !rest_ok || !before.ends_with([',', '—']) {
                return None;
            }
            (Span::new(w[a].span.start, w[b - 1].span.end), w[a].span.start, cue.end)
        } else {
            let before = self.slice(u.start, cue.start).trim_end();
            let src = self.np_after(w, k + 1)?;
            let after = self.slice(src.end, u.end).trim_start();
            if !before.ends_with([',', '—']) || !(after.is_empty() || after.starts_with(['.', ',']))
            {
                return None;
            }
            (src, cue.start, src.end)
        };
        let content = trim_span(self.text, Span::new(u.start, clause_end), &[',', '—']);
        let inside: Vec<&W> = w.iter().filter(|x| content.contains(x.span)).collect();
        if inside.is_empty() || self.fronted_adjunct(&inside) {
            return None;
        }
        let content = self.continue_after(w, content, after).unwrap_or(content);
        if inside.len() < 3 && content.end <= clause_end {
            return None;
        }
        let direct = self.segs.iter().any(|s| s.content == content);
        Some(Found { source: Some(source), cue: Some(cue), content, direct, link: Link::None })
    }

    /// Whether the words before a parenthetical attribution are a fronted adjunct ("In the
    /// end", "On Tuesday", "When asked"), not content.
    fn fronted_adjunct(&self, inside: &[&W]) -> bool {
        let Some(first) = inside.first() else {
            return true;
        };
        let sub = first.is(Words::Preposition) || first.is(Words::FrontedAdjunct);
        sub && inside.len() <= 6
    }

    /// `A, X said, B.`: the content goes on after the attribution when a clause follows the
    /// comma (not a participle, a subordinate clause or "according to").
    fn continue_after(&self, w: &[W], content: Span, after: usize) -> Option<Span> {
        let u = self.units.iter().find(|u| u.span.contains(content))?.span;
        let rest = self.slice(after, u.end);
        let r = rest.trim_start();
        if !r.starts_with(',') {
            return None;
        }
        let tail: Vec<&W> = w.iter().filter(|x| x.span.start > after && !x.inq).collect();
        let first = tail.first()?;
        let bad = first.cue.is_some()
            || first.lower.ends_with("ing")
            || first.is(Words::Preposition)
            || first.is(Words::AdjunctOpener)
            || first.is(Words::ContinuationStop);
        if bad || tail.len() < 2 || tail.iter().any(|x| x.cue.is_some()) {
            return None;
        }
        let end = trim_span(self.text, Span::new(content.start, u.end), &[',', '—']);
        Some(strip_final_period(self.text, end))
    }

    /// Extends a subject starting at word `a` left over up to three lowercase words to a
    /// comma: "…, law enforcement officials say".
    fn extend_left_to_comma(&self, w: &[W], a: usize) -> usize {
        let mut m = a;
        while m > 0 && a - m < 3 {
            let gap = self.slice(w[m - 1].span.end, w[m].span.start);
            if gap.trim() == "," || gap.trim() == "—" {
                return m;
            }
            let x = &w[m - 1];
            if !self.gap_plain(x.span.end, w[m].span.start)
                || x.inq
                || x.cap
                || x.is(Words::NpStop) && !matches!(x.lower.as_str(), "and" | "or")
                || x.cue.is_some()
            {
                return a;
            }
            m -= 1;
        }
        let gap = if m > 0 { self.slice(w[m - 1].span.end, w[m].span.start) } else { "" };
        if gap.trim() == "," {
            m
        } else {
            a
        }
    }

    /// `Donald Trump told reporters he thought …`: a subject pronoun after the object of
    /// "told" opens the reported clause, so the clause before the cue is no content.
    fn clause_after_object(&self, w: &[W], k: usize) -> bool {
        w.iter().skip(k + 2).take(4).any(|x| {
            !x.inq && matches!(x.lower.as_str(), "he" | "she" | "they" | "we" | "i" | "it")
        })
    }

    fn has_that(&self, w: &[W], from: usize) -> bool {
        w.iter().skip(from).take(8).any(|x| x.lower == "that" && !x.inq)
    }

    /// `X said (that) …` / `X said: “…”` / `…, saying that …`.
    fn before(&self, ui: usize, w: &[W], k: usize, class: Class) -> Option<Found> {
        let cue = w[k].span;
        let np = self.np_back(w, k);
        let mut p = k;
        while p > 1 && w[p - 1].is(Words::Skippable) && !w[p - 1].inq {
            p -= 1;
        }
        let after_and = p > 0 && matches!(w[p - 1].lower.as_str(), "and" | "but")
            || self
                .slice(w.get(k.wrapping_sub(1)).map_or(cue.start, |x| x.span.end), cue.start)
                .contains(',');
        // "Ms. Sherry smiled and said": the subject of the verb before "and".
        let np = np.or_else(|| {
            let v = p.checked_sub(2)?;
            let verb = &w[v];
            let ok = w[p - 1].lower == "and"
                && !verb.inq
                && !verb.cap
                && (verb.lower.ends_with("ed") || verb.cue.is_some());
            let (a, b) = if ok { self.np_back(w, v)? } else { return None };
            (w[a].cap || w[a].is(Words::Pronoun) || w[a].is(Words::Det)).then_some((a, b))
        });
        let (source, link) = match np {
            // "Black Lives Matter issued a statement saying …": a participle right after a
            // clause takes that clause's subject, not its object.
            Some((a, b)) if class == Class::Ing => {
                // "X notes that the spokesman refused …, saying": the clause's own subject.
                let embedded = self.participle_subject(w, k);
                let whole = Span::new(w[a].span.start, w[b - 1].span.end);
                (Some(embedded.unwrap_or_else(|| self.cut_at_verb(w, whole))), Link::None)
            }
            Some((a, b)) => (Some(Span::new(w[a].span.start, w[b - 1].span.end)), Link::None),
            None if class == Class::Ing || after_and || self.raising_infinitive(w, k) => {
                (None, Link::Clause)
            }
            // "When asked whether …", "Asked what …", "he was asked if …": no speaker.
            None if w[k].lower == "asked"
                && self.question_or_request(ui, w, k).is_some()
                && (k == 0 || w[k - 1].is(Words::AskedFrame)) =>
            {
                (None, Link::None)
            }
            None => return None,
        };
        let (content, direct) = self.content_after(ui, w, k, class)?;
        Some(Found { source, cue: Some(cue), content, direct, link })
    }

    /// Adds quoted segments no cue claimed: continuations of the attributed quote before them,
    /// or unattributed quotes long enough to be speech rather than scare quotes.
    pub fn orphans(&self, found: &mut Vec<Found>) {
        let para_of =
            |p: usize| self.units.iter().rfind(|u| u.span.start <= p).map_or(0, |u| u.para);
        for seg in self.segs {
            if found
                .iter()
                .any(|f| f.content.start < seg.content.end && seg.content.start < f.content.end)
            {
                continue;
            }
            let nwords = tokens(seg.content.slice(self.text)).len();
            let prev = found
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.content.end <= seg.open
                        && (f.direct || self.segs.iter().any(|s| s.content.end == f.content.end))
                })
                .max_by_key(|(_, f)| f.content.end);
            let starts_unit = self.units.iter().any(|u| u.span.start == seg.open);
            let link = prev.and_then(|(i, f)| {
                let close = para_of(seg.open) <= para_of(f.content.end) + 1;
                let gap = self.slice(f.content.end, seg.open);
                let no_other =
                    !self.segs.iter().any(|s| s.open > f.content.end && s.open < seg.open);
                let interrupted =
                    gap.trim_start_matches(['”', '"', '’', '»']).trim_start().starts_with(',')
                        && gap.trim_end().ends_with(',');
                (close && (starts_unit || interrupted) && no_other && gap.len() < ORPHAN_GAP)
                    .then_some(i)
            });
            if let Some(i) = link {
                if self.participle_between(found, i, seg) {
                    continue;
                }
            }
            match link {
                Some(i)
                    if found[i].cue.is_some()
                        && (para_of(seg.open) == para_of(found[i].content.end)
                            || self.next_paragraph_quote(found[i].content.end, seg)) =>
                {
                    // "“A,” he said. “B.”" and "“A,” he said, “B.”": one utterance.
                    found[i].content.end = seg.content.end;
                }
                Some(i) if nwords >= 2 => found.push(Found {
                    source: None,
                    cue: None,
                    content: seg.content,
                    direct: true,
                    link: Link::Found(i),
                }),
                None if nwords >= 8 && starts_unit => {
                    // A long quote opening a sentence with no cue of its own, within a
                    // paragraph of an attributed one: the same speaker goes on (news writing
                    // names a new speaker where one starts).
                    let near = found
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| {
                            f.content.end <= seg.open
                                && f.source.is_some()
                                && f.direct
                                && para_of(seg.open) <= para_of(f.content.end) + 1
                        })
                        .max_by_key(|(_, f)| f.content.end)
                        .map(|(i, _)| i);
                    found.push(Found {
                        source: None,
                        cue: None,
                        content: seg.content,
                        direct: true,
                        link: near.map_or(Link::None, Link::Found),
                    })
                }
                _ => {}
            }
        }
    }
}

/// Bytes between an attributed quote and an unattributed one past which the second is not
/// read as going on with the first (see [`Cx::orphans`]).
pub(super) const ORPHAN_GAP: usize = 200;

impl Cx<'_> {
    /// `“A,” Christie said, adding that … “B.”` / `''A,'' he said, adding of Mr. Trump, ''B''`:
    /// a participle of saying between an attributed quote (`found[i]`) and the next quote
    /// `seg` introduces that quote, so the two are not merged into one utterance. The quote
    /// extends the participle's own content when that ends right before it, else it becomes
    /// the participle's content (same speaker, through the link). Returns whether `seg` was
    /// taken.
    fn participle_between(&self, found: &mut Vec<Found>, i: usize, seg: &Seg) -> bool {
        let from = found[i].content.end;
        let gap = self.slice(from, seg.open);
        let Some(t) =
            tokens(gap).into_iter().find(|t| cue_class(&fold(t.text)) == Some(Class::Ing))
        else {
            return false;
        };
        let cue = Span::new(from + t.span.start, from + t.span.end);
        if let Some(g) = found.iter().position(|g| g.cue == Some(cue)) {
            let tail = self.slice(found[g].content.end, seg.open);
            if found[g].content.end <= seg.open
                && tail.chars().all(|c| c.is_whitespace() || matches!(c, '.' | ',' | ':' | '—'))
            {
                found[g].content.end = seg.content.end;
                found[g].direct = false;
                return true;
            }
            return false;
        }
        found.push(Found {
            source: None,
            cue: Some(cue),
            content: seg.content,
            direct: true,
            link: Link::Found(i),
        });
        true
    }
}

impl Cx<'_> {
    /// `AFP notes that the spokesman refused to confirm it, saying “…”`: a participle after
    /// a comma that ends a reported "that" clause (a cue, "that", a subject and its verb)
    /// takes that clause's subject, the nearer one, not the reporter's.
    pub fn embedded_subject(&self, w: &[W], f: &Found) -> Option<Span> {
        let cue = f.cue?;
        let k = w.iter().position(|x| x.span == cue)?;
        self.participle_subject(w, k)
    }

    /// [`Cx::embedded_subject`] of participle `k`.
    fn participle_subject(&self, w: &[W], k: usize) -> Option<Span> {
        // "X said that the spokesman refused to confirm …": an infinitive cue after a verb of
        // the clause has the clause's subject too.
        let raising = self.raising_infinitive(w, k);
        let after_comma = k > 0 && self.slice(w[k - 1].span.end, w[k].span.start).contains(',');
        if !(after_comma && w[k].cue == Some(Class::Ing) || raising) {
            return None;
        }
        let that =
            (1..k).rev().find(|&t| w[t].lower == "that" && !w[t].inq && w[t - 1].cue.is_some())?;
        self.subject_after_that(w, that, k)
    }

    /// The subject of the "that" clause opened by word `that`, for participle `k` after it
    /// ([`Cx::embedded_subject`]). Participles that go on with the reporter's own words
    /// ("adding", "noting") keep the reporter.
    fn subject_after_that(&self, w: &[W], that: usize, k: usize) -> Option<Span> {
        let continues = matches!(w[k].lower.as_str(), "adding" | "noting");
        if continues || w[that].inq || that + 1 >= k {
            return None;
        }
        let s = self.cut_at_verb(w, self.np_after(w, that + 1)?);
        let next = w.iter().find(|x| x.span.start >= s.end)?;
        let clause =
            !next.inq && !next.cap && !next.is(Words::Det) && next.span.start < w[k].span.start;
        let named = w.iter().any(|x| s.contains(x.span) && (x.cap || x.role || x.is(Words::Det)));
        (clause && named && !s.is_empty()).then_some(s)
    }

    /// `X went on to say …`, `X continued to insist …`, `X refused to say …`: an infinitive cue
    /// after a verb whose subject is the speaker (resolved like a participle's).
    fn raising_infinitive(&self, w: &[W], k: usize) -> bool {
        let Some(to) = k.checked_sub(1).map(|i| &w[i]) else {
            return false;
        };
        let verb = k.checked_sub(2).map_or("", |i| w[i].lower.as_str());
        let before = k.checked_sub(3).map_or("", |i| w[i].lower.as_str());
        to.lower == "to"
            && !to.inq
            && (verb == "on" && matches!(before, "went" | "goes" | "go" | "going")
                || is(Words::RaisingVerb, verb))
    }

    /// `“A,” X said.\n\n“B.”`: a paragraph that is one quote right after a paragraph that
    /// ends with an attributed quote and its short attribution goes on with that utterance
    /// (PolNeAR annotates the two as one content span).
    fn next_paragraph_quote(&self, prev_end: usize, seg: &Seg) -> bool {
        let gap = self.slice(prev_end, seg.open);
        // The attribution ends its paragraph: the only line breaks are right before the quote.
        let one_break = gap.contains('\n') && !gap.trim_end().contains('\n');
        let short = tokens(gap).len() <= 12 && gap.matches(['.', '!', '?']).count() <= 1;
        let rest = self.text.get(seg.close..).unwrap_or("");
        let ends_para = rest.trim_start_matches(['”', '"', '’', '\'', '.', ' ']).starts_with('\n')
            || rest.trim().is_empty();
        one_break && short && ends_para
    }

    /// `X did not (immediately) respond to a request for comment`, `X has not replied to
    /// questions about …`: a negated reply whose content is what went unanswered (PolNeAR
    /// annotates these as attributions). The cue is the verb and its "to".
    fn negated_reply(&self, ui: usize, w: &[W], k: usize) -> Option<Found> {
        // "did not mention his rivals by name": what went unmentioned, right after the verb.
        let mention = matches!(w[k].lower.as_str(), "mention" | "mentioned");
        if !mention && !matches!(w[k].lower.as_str(), "respond" | "reply" | "responded" | "replied")
        {
            return None;
        }
        let to =
            if mention { &w[k] } else { w.get(k + 1).filter(|x| x.lower == "to" && !x.inq)? };
        let mut n = k;
        while n > 0 && (w[n - 1].lower.ends_with("ly") || w[n - 1].lower == "yet") {
            n -= 1; // "immediately", "yet"
        }
        let neg = n > 0
            && (matches!(w[n - 1].lower.as_str(), "not" | "never")
                || w[n - 1].lower.ends_with("n't")
                || w[n - 1].lower.ends_with("n’t"));
        if !neg {
            return None;
        }
        let aux =
            if w[n - 1].lower.contains('n') && w[n - 1].lower != "not" && w[n - 1].lower != "never"
            {
                n - 1
            } else {
                n.checked_sub(2)?
            };
        let (a, b) = self.np_back(w, aux)?;
        let from = w.get(k + if mention { 1 } else { 2 }).filter(|x| !x.inq)?.span.start;
        let end = self.clause_end(ui, w, k, from);
        let content = strip_final_period(
            self.text,
            trim_span(self.text, Span::new(from, end), &[',', ';', '—']),
        );
        (!content.is_empty()).then(|| Found {
            source: Some(Span::new(w[a].span.start, w[b - 1].span.end)),
            cue: Some(Span::new(w[k].span.start, to.span.end)),
            content,
            direct: false,
            link: Link::None,
        })
    }
}

/// Cue verbs whose base form is also a noun ("a news report", "the claim"): read as nouns
/// after an article ([`Cx::noun_after_article`]) and allowed inside a source phrase ("according
/// to a pool report").
pub(super) fn is_noun_cue(lower: &str) -> bool {
    is(Words::NounCue, lower)
}

/// Words that open a circumstance after a cue or its speaker ("said of Trump", "said in an
/// interview", "said Monday", "said while …"), not a clause of its own.
fn is_adjunct_start(lower: &str) -> bool {
    opens_adjunct(lower)
        || super::np::is_preposition(lower)
        || super::np::is_time_word(lower)
        || is(Words::AdjunctStart, lower)
}

/// Cue verbs whose object is the addressee ("told reporters", "asked him").
fn takes_addressee(lower: &str) -> bool {
    is(Words::AddresseeCue, lower)
}

/// Whether `c` is a double or single quote mark.
pub(super) fn is_quote_mark(c: char) -> bool {
    is_opener(c) || matches!(c, '”' | '»' | '›' | '‘' | '’' | '\'' | '`')
}

/// Forms of "ask", whose content may be a question.
pub(super) fn is_ask(l: &str) -> bool {
    matches!(l, "asked" | "asks" | "ask" | "asking")
}

/// Whether `s` contains a quote opener (including `''` and ``).
pub(super) fn has_opener(s: &str) -> bool {
    s.contains(is_opener) || s.contains("''") || s.contains("``")
}

/// Drops a final period (and a closing quote mark around it) from an indirect content.
pub(super) fn strip_final_period(text: &str, s: Span) -> Span {
    let t = s.slice(text);
    let opens = t.chars().filter(|&c| is_opener(c) || c == '‘').count();
    let closes = t.chars().filter(|&c| matches!(c, '”' | '»' | '’')).count();
    let mut t2 = t.trim_end_matches(['.', '!', '?']);
    if opens <= closes.saturating_sub(0) && t2.ends_with(['”', '"']) && opens == 0 {
        t2 = t2.trim_end_matches(['”', '"']).trim_end_matches(['.', ',']);
    }
    Span::new(s.start, s.start + t2.len())
}
