//! Speaker noun phrases around a cue: the subject before it (skipping adverbs, time phrases,
//! parentheses and appositions: "Mikhail Ulyanov, Russia’s envoy, later confirmed"), the
//! name after an inverted cue ("said Dmitry Peskov"), the source of "according to", and the
//! subject of a sentence (for participles: ", saying …").

use super::attrib::{has_opener, Cx, W};
use super::lexicon::{is, Words};
use super::trim_span;
use crate::record::Span;

impl Cx<'_> {
    /// The speaker noun phrase right before cue `k` (word range), skipping adverbs.
    pub(super) fn np_back(&self, w: &[W], k: usize) -> Option<(usize, usize)> {
        let mut j = k;
        let mut enclosed = false;
        // "who spoke anonymously said": the adverb ends a relative clause of the subject.
        let relative = w[k.saturating_sub(6)..k].iter().any(|x| x.lower == "who");
        while j > 0
            && (w[j - 1].is(Words::Skippable) || !relative && is_manner_adverb(&w[j - 1]))
            && !w[j - 1].inq
        {
            if matches!(w[j - 1].lower.as_str(), "is" | "was" | "were" | "are") {
                return None; // passive: "it was noted that"
            }
            let gap = self.slice(w[j - 1].span.end, w[j].span.start);
            let before =
                if j >= 2 { self.slice(w[j - 2].span.end, w[j - 1].span.start) } else { "" };
            if gap.trim() == "," && before.trim() == "," {
                enclosed = true;
                j -= 1; // ", meanwhile,"
            } else if self.gap_plain(w[j - 1].span.end, w[j].span.start) {
                j -= 1;
            } else {
                break;
            }
        }
        // "on Tuesday said", "(I-Vt.) said": step over a time phrase or a parenthesis.
        // "on Thursday evening said".
        if j >= 3
            && matches!(w[j - 1].lower.as_str(), "morning" | "afternoon" | "evening" | "night")
            && w[j - 2].is(Words::TimeWord)
            && w[j - 3].lower == "on"
        {
            j -= 1;
        }
        // "… in federal court on Friday, claiming": a time phrase before a comma ends a clause,
        // it is no step between a subject and its cue.
        let plain_to_cue = |j: usize| j > 0 && self.gap_plain(w[j - 1].span.end, w[j].span.start);
        if j >= 2 && plain_to_cue(j) && w[j - 1].is(Words::TimeWord) && w[j - 2].lower == "on" {
            j -= 2;
        }
        // "last week said", "less than two weeks ago said".
        if j >= 2
            && plain_to_cue(j)
            && matches!(w[j - 2].lower.as_str(), "last" | "this" | "earlier")
            && matches!(w[j - 1].lower.as_str(), "week" | "month" | "year" | "night" | "weekend")
        {
            j -= 2;
        } else if j >= 3 && plain_to_cue(j) && w[j - 1].lower == "ago" {
            let n = (j.saturating_sub(5)..j - 1).find(|&m| {
                !w[m].inq
                    && self.gap_plain(w[m].span.end, w[m + 1].span.start)
                    && (w[m].lower.starts_with(|c: char| c.is_ascii_digit())
                        || w[m].is(Words::AgoCount))
            });
            if let Some(m) = n {
                j = m;
            }
        }
        let mut paren = false;
        let k_end = j;
        if j > 0
            && self
                .slice(w[j - 1].span.end, w[j].span.start)
                .trim()
                .trim_start_matches('.')
                .starts_with(')')
        {
            let open = (j.saturating_sub(6)..j)
                .rev()
                .find(|&m| m > 0 && self.slice(w[m - 1].span.end, w[m].span.start).contains('('));
            if let Some(m) = open {
                j = m;
                paren = true;
            }
        }
        let b = j;
        if b == 0 {
            return None;
        }
        if paren {
            // "Sen. Elizabeth Warren (D-MA) said": the name and its party tag.
            let (a, _) = self.collect_np(w, b)?;
            return Some((a, k_end));
        }
        let gap = self.slice(w[b - 1].span.end, w[b].span.start);
        if w[b - 1].lower == "who" && gap.trim().is_empty() {
            return Some((b - 1, b));
        }
        if gap.trim() == "," && !enclosed {
            return self.apposition(w, b, ",");
        }
        // "Neil Sroka, director of X - which … - said": an apposition between dashes.
        let dash = gap.trim();
        if matches!(dash, "-" | "—" | "–") && !enclosed {
            return self.apposition(w, b, dash);
        }
        // "26% say": a percentage sign after the count.
        if !self.gap_plain(w[b - 1].span.end, w[b].span.start) && !matches!(gap.trim(), "," | "%") {
            return None;
        }
        self.relative_subject(w, b).or_else(|| self.collect_np(w, b))
    }

    /// `a White House official who spoke anonymously to discuss strategy said`: a subject
    /// with a relative clause ending before word `b`.
    fn relative_subject(&self, w: &[W], b: usize) -> Option<(usize, usize)> {
        let mut h = b;
        while h > 0 && b - h < 12 {
            h -= 1;
            let x = &w[h];
            // "the groups who wrote to her": a cue right after "who" is the relative's verb.
            let relative_verb = h > 0 && w[h - 1].lower == "who";
            if x.inq
                || x.cue.is_some() && !relative_verb
                || !self.gap_plain(x.span.end, w[h + 1].span.start)
            {
                return None;
            }
            if x.lower == "who" && h + 1 < b {
                let (a, _) = self.collect_np(w, h)?;
                return (w[a].cap || w[a].is(Words::Det) || h > 0 && w[h - 1].role)
                    .then_some((a, b));
            }
        }
        None
    }

    /// `X, the head of Y, said` (or between dashes, `delim`): the name and its apposition
    /// ending before word `b`.
    fn apposition(&self, w: &[W], b: usize, delim: &str) -> Option<(usize, usize)> {
        let mut m = b - 1;
        while m > 0 && b - m < 15 {
            if !w[m].inq && w[m].cue.is_some() {
                return None;
            }
            let gap = self.slice(w[m - 1].span.end, w[m].span.start);
            // "Humphrey, who calls Trump a “sociopath,” said": quote marks may sit inside.
            let gap =
                gap.trim_matches(|c: char| c.is_whitespace() || super::attrib::is_quote_mark(c));
            if gap == delim && !w[m - 1].inq {
                let (a, _) = self.collect_np(w, m)?;
                // "Smith, delivering the speech, asked": a participle phrase is no apposition.
                if is_participle(&w[m]) {
                    return (w[m - 1].cap || w[m - 1].role).then_some((a, m));
                }
                // "Trump, in Kentucky, said", "Clinton, after the scandal broke, said": a
                // circumstance between commas is no part of the name before it.
                if w[m].is(Words::AppositionCircumstance) {
                    return self.plain_name(w, a, m).then_some((a, m));
                }
                // "Here in Columbia, Sanders stepped up …, saying": a clause between the commas
                // (a name and its verb) is no apposition; the participle takes the clause's
                // subject.
                if self.clause_between(w, m, b) {
                    return None;
                }
                // "Mr. Trump, in an interview on Friday, barely dwelled …, saying": a time word
                // before the comma is no name.
                let named = w[m - 1].cap && !w[m - 1].is(Words::TimeWord) || w[b - 1].cap;
                if !named {
                    return None;
                }
                // "Jacob Shiansky, 24, who was visiting …, told": a name before a first
                // apposition.
                let before =
                    if a > 0 { self.slice(w[a - 1].span.end, w[a].span.start) } else { "" };
                // "Iowa, on Sunday, Mrs. Clinton …", "July, Sammy Aaron, vice chairman …": a
                // name is no first apposition of the phrase before it.
                if before.trim() == "," && !w[a - 1].inq && !w[a].cap {
                    if let Some((a2, _)) = self.collect_np(w, a).filter(|&(a2, _)| w[a2].cap) {
                        return Some((a2, b));
                    }
                }
                return Some((a, b));
            }
            if !gap.is_empty() && gap != "." && gap != "," && !(delim != "," && gap == "-") {
                return None;
            }
            m -= 1;
        }
        None
    }

    /// Whether words `a..b` are a plain name or role phrase: capitalised words, determiners,
    /// roles and name particles only ("Trump", "Washington Post columnist Margaret Sullivan").
    fn plain_name(&self, w: &[W], a: usize, b: usize) -> bool {
        a < b
            && w[b - 1].cap
            && w[a..b]
                .iter()
                .all(|x| !x.inq && (x.cap || x.is(Words::Det) || x.role || x.lower.contains('-')))
    }

    /// Whether words `m..b` are a clause: a run of capitalised words, determiners and roles
    /// ending in a name or role, then a lowercase verb ("Sanders stepped up …", "Mrs. Clinton
    /// tried to …").
    fn clause_between(&self, w: &[W], m: usize, b: usize) -> bool {
        let mut i = m;
        while i < b && (w[i].cap || w[i].is(Words::Det) || w[i].role) {
            i += 1;
        }
        let Some(x) = w.get(i).filter(|_| i < b && !w[i].inq) else {
            return false;
        };
        let past = !x.lower.contains('-') && x.lower.len() > 3 && x.lower.ends_with("ed");
        // A name or a role right before the verb ("a retired teacher" is no clause).
        let named = i > m && (w[i - 1].cap || w[i - 1].role);
        named && (past || x.is(Words::IrregularVerb))
    }

    /// The noun phrase whose last word is `b - 1`.
    pub(super) fn collect_np(&self, w: &[W], b: usize) -> Option<(usize, usize)> {
        // "most of them said", "some of us say": a quantity of a pronoun group.
        if b >= 3
            && matches!(w[b - 1].lower.as_str(), "them" | "us" | "those")
            && w[b - 2].lower == "of"
            && (w[b - 3].is(Words::Quantifier)
                || matches!(w[b - 3].lower.as_str(), "none" | "half" | "one" | "two" | "three"))
            && (b - 3..b - 1)
                .all(|q| !w[q].inq && self.gap_plain(w[q].span.end, w[q + 1].span.start))
        {
            return Some((b - 3, b));
        }
        // "a source close to him said", "people familiar with them say": an object pronoun
        // ends a prepositional tail of the subject.
        if b >= 3
            && matches!(w[b - 1].lower.as_str(), "him" | "her" | "them" | "us" | "me")
            && w[b - 2].is(Words::Preposition)
            && !w[b - 1].inq
        {
            return self.whole_subject(w, b - 2).map(|m| (m, b));
        }
        let mut j = b;
        let mut after_prep = false;
        let mut bounded = false;
        let mut coord = false;
        while j > 0 && b - j < 10 {
            let x = &w[j - 1];
            let gap = self.slice(x.span.end, w[j].span.start);
            let initial = x.span.len() == 1 && x.cap;
            // "Sanders’ aides": a plural possessive keeps the phrase together.
            let possessive = matches!(gap, "’ " | "' ") && x.cap && x.lower.ends_with('s');
            // "26% say": a percentage.
            let percent = gap == "% " && x.lower.starts_with(|c: char| c.is_ascii_digit());
            let suffix = matches!(x.lower.as_str(), "jr" | "sr");
            let gap_ok = j == b
                || percent
                || gap.chars().all(|c| c == ' ' || c == '\u{a0}')
                || gap == ". " && (x.role || initial || suffix || dotted(x))
                || possessive;
            // "Aides to Clinton said", "a spokesman for the campaign said", "Six in 10 said": a
            // prepositional tail after a role, a plural head or a count.
            if matches!(x.lower.as_str(), "to" | "for" | "in" | "from" | "at" | "with")
                && j < b
                && j >= 2
                && gap_ok
                && !x.inq
            {
                let y = &w[j - 2];
                let head = self.gap_plain(y.span.end, x.span.start)
                    && !y.inq
                    && (y.role
                        || y.is(Words::PluralHead)
                        || y.lower.starts_with(|c: char| c.is_ascii_digit())
                        || y.is(Words::Quantifier)
                        || y.is(Words::HeadCount));
                if head {
                    coord = true;
                    j -= 1;
                    continue;
                }
            }
            if x.lower == "of" && j < b && gap_ok && !x.inq {
                j -= 1; // "half of GOP voters", "the head of the agency"
                continue;
            }
            // "Clinton and Kaine said", "current and former officials said": a coordinated
            // subject, when the word before "and" is a name or a time adjective.
            if x.lower == "and" && j < b && j >= 2 && gap_ok && !x.inq {
                let y = &w[j - 2];
                let joined = self.gap_plain(y.span.end, x.span.start)
                    && !y.inq
                    && (y.cap && !y.is(Words::SentenceAdverb) && !y.is(Words::Pronoun)
                        || matches!(y.lower.as_str(), "current" | "former" | "past")
                        // "She and her aides", "many experts and some lawmakers".
                        || matches!(y.lower.as_str(), "he" | "she" | "they" | "we" | "i")
                        || y.role
                        || y.is(Words::PluralHead));
                if joined {
                    coord = true;
                    j -= 1;
                    continue;
                }
            }
            if j < b && gap_ok && !x.inq && x.is(Words::Preposition) {
                if let Some(m) = self.whole_subject(w, j - 1) {
                    coord = true;
                    j = m;
                    break;
                }
            }
            // "the report says": a noun-like cue after a determiner is the head noun.
            let noun = super::attrib::is_noun_cue(&x.lower)
                && j >= 2
                && w[j - 2].is(Words::Det)
                && self.gap_plain(w[j - 2].span.end, x.span.start);
            if !gap_ok || x.inq || x.is(Words::NpStop) || x.cue.is_some() && !noun {
                // "About four in 10 said": "about" before a count is an approximator.
                let approx = x.lower == "about"
                    && (w[j].lower.starts_with(|c: char| c.is_ascii_digit())
                        || w[j].is(Words::Quantifier)
                        || matches!(
                            w[j].lower.as_str(),
                            "one" | "two" | "three" | "four" | "five" | "half" | "a" | "a third"
                        ));
                after_prep = gap_ok && !x.inq && x.is(Words::Preposition) && !approx;
                bounded = !after_prep;
                break;
            }
            if j < b && w[j].is(Words::Pronoun) {
                break;
            }
            j -= 1;
            if x.is(Words::Pronoun) {
                break;
            }
        }
        // "homeland security experts say", "local party leaders said": lowercase modifiers of
        // a plural or role head, from the clause start, belong to the subject.
        let head_noun = |x: &W| {
            x.role
                || x.is(Words::PluralHead)
                || x.lower.len() > 3 && x.lower.ends_with('s') && !x.lower.ends_with("ss")
        };
        let modifiers = (bounded || j == 0)
            && b - j <= 4
            && b - j >= 2
            && head_noun(&w[b - 1])
            && w[j..b - 1].iter().all(|x| {
                !x.cap
                    && !x.inq
                    && !x.lower.ends_with("ly")
                    && !x.lower.ends_with("ed")
                    && !x.is(Words::NpStop)
                    && !x.is(Words::SentenceAdverb)
                    && !x.is(Words::IrregularVerb)
                    && x.cue.is_none()
            });
        let mut a = j;
        while a < b
            && !coord
            && !modifiers
            && (w[a].is(Words::SentenceAdverb)
                || !w[a].cap
                    && !w[a].is(Words::Quantifier)
                    && !w[a].lower.starts_with(|c: char| c.is_ascii_digit())
                    && !w[a].is(Words::Det)
                    && !w[a].role
                    && a + 1 < b
                    && !w[a + 1].cap
                    && !w[a + 1].role
                    && !w[a + 1].is(Words::PluralHead)
                    && w[a + 1].lower != "of")
        {
            a += 1;
        }
        while a < b && w[a].lower == "of" {
            a += 1;
        }
        if a >= b {
            return None;
        }
        a = self.extend_over_quantity(w, a);
        let head = &w[b - 1];
        let head_text = head.span.slice(self.text);
        if head_text.ends_with("’s") || head_text.ends_with("'s") || head_text.ends_with('’') {
            return None; // "Editor’s note": a possessive is no subject
        }
        if !after_prep
            && !head.lower.ends_with("ly")
            && !head.is(Words::Pronoun)
            && b - a <= 8
            && !head.inq
        {
            return Some((a, b)); // a clause subject: any head
        }
        let first_num = w[a].lower.chars().next().is_some_and(|c| c.is_ascii_digit());
        let ok = head.cap
            || b - a <= 3 && !head.lower.ends_with("ly") && (w[a].cap || first_num)
            || head.is(Words::Pronoun) && a + 1 == b
            || head.role
            || head.is(Words::PluralHead)
            || w[a].is(Words::Det) && b - a <= 6;
        ok.then_some((a, b))
    }

    /// `about 4 in 10 said`, `more than half say`, `these supporters acknowledge`: extends a
    /// subject starting at word `a` left over the approximators and demonstratives that
    /// belong to it (PolNeAR sources hold the whole phrase).
    fn extend_over_quantity(&self, w: &[W], mut a: usize) -> usize {
        let plain = |m: usize| !w[m].inq && self.gap_plain(w[m].span.end, w[m + 1].span.start);
        loop {
            if a >= 2
                && plain(a - 1)
                && plain(a - 2)
                && matches!(
                    (w[a - 2].lower.as_str(), w[a - 1].lower.as_str()),
                    ("more" | "fewer" | "less", "than") | ("at", "least" | "most")
                )
            {
                a -= 2;
                continue;
            }
            let one = a >= 1 && plain(a - 1) && w[a - 1].is(Words::Approximator);
            if !one {
                return a;
            }
            a -= 1;
        }
    }

    /// `People briefed on the situation said`, `a count by The Associated Press shows`: when
    /// a preposition (word `p`) sits inside the words before a cue and everything from the
    /// clause start (the unit start or a comma) to it is a plain noun phrase opened by a
    /// determiner, a name or a count, the whole phrase is the subject. Returns its first word.
    fn whole_subject(&self, w: &[W], p: usize) -> Option<usize> {
        let mut m = p;
        loop {
            if m == 0 {
                break;
            }
            let gap = self.slice(w[m - 1].span.end, w[m].span.start);
            if gap.contains([',', '—', '–', ';', ':']) {
                break;
            }
            let y = &w[m - 1];
            // "But people familiar with her thinking say", "and attorneys for the department
            // said": a conjunction or a sentence adverb opens the clause.
            if !y.inq
                && (matches!(y.lower.as_str(), "and" | "but") || y.is(Words::SentenceAdverb))
                && self.gap_plain(y.span.end, w[m].span.start)
            {
                break;
            }
            let bad = y.inq
                || p - m >= 10
                || !self.gap_plain(y.span.end, w[m].span.start)
                || y.cue.is_some()
                || y.is(Words::Pronoun)
                || y.is(Words::SentenceAdverb)
                || y.is(Words::ClauseWord);
            if bad {
                return None;
            }
            m -= 1;
        }
        if m == p {
            return None;
        }
        let first = &w[m];
        let plural = !first.cap && first.lower.len() > 3 && first.lower.ends_with('s');
        let opens = first.is(Words::Det)
            || first.cap
            || plural
            || first.role
            || first.is(Words::PluralHead)
            || first.is(Words::Quantifier)
            || first.lower.starts_with(|c: char| c.is_ascii_digit());
        (opens && !first.is(Words::Preposition)).then_some(m)
    }

    /// The speaker noun phrase starting at word `i` (after an inverted cue or "according to").
    pub(super) fn np_after(&self, w: &[W], i: usize) -> Option<Span> {
        let mut first = w.get(i).filter(|x| !x.inq)?;
        if first.is(Words::Pronoun) {
            return Some(first.span);
        }
        // "said former Obama adviser David Axelrod": lowercase modifiers before a name or role.
        if !(first.cap || first.is(Words::Det) || first.role) {
            let named = (i + 1..w.len().min(i + 4)).find(|&m| {
                !w[m].inq
                    && self.gap_plain(w[m - 1].span.end, w[m].span.start)
                    && (w[m].cap || w[m].role)
            });
            let plain = |m: usize| {
                (i..m).all(|q| {
                    !w[q].inq
                        && !w[q].cap
                        && !w[q].is(Words::NpStop)
                        && w[q].cue.is_none()
                        && self.gap_plain(w[q].span.end, w[q + 1].span.start)
                })
            };
            if let Some(m) = named.filter(|&m| plain(m)) {
                let start = first.span.start;
                let rest = self.np_after(w, m)?;
                first = &w[i];
                return Some(Span::new(start.min(first.span.start), rest.end));
            }
        }
        if !(first.cap || first.is(Words::Det) || first.role) || first.is(Words::NpStop) {
            return None;
        }
        let mut j = i + 1;
        let mut has_det = first.is(Words::Det);
        while j < w.len() && j - i < 8 {
            let x = &w[j];
            let gap = self.slice(w[j - 1].span.end, x.span.start);
            let initial = w[j - 1].span.len() == 1 && w[j - 1].cap;
            let gap_ok = gap.chars().all(|c| c == ' ' || c == '\u{a0}')
                || gap == ". " && (w[j - 1].role || initial || dotted(&w[j - 1]));
            // "said Republican party boss Reince Priebus": lowercase modifiers inside a name
            // phrase when a capitalised word or a role follows within two words.
            let modifier = !x.cap
                && !x.is(Words::NpStop)
                && x.cue.is_none()
                && (j + 1..w.len().min(j + 3)).any(|m| {
                    !w[m].inq
                        && (j + 1..=m).all(|q| self.gap_plain(w[q - 1].span.end, w[q].span.start))
                        && (w[m].cap || w[m].role)
                })
                && (j + 1..w.len().min(j + 3))
                    .take_while(|&m| !(w[m].cap || w[m].role))
                    .all(|m| !w[m].is(Words::NpStop) && w[m].cue.is_none());
            let word_ok = x.cap
                || x.role
                || has_det && !x.is(Words::NpStop)
                || x.lower.starts_with("al-")
                || modifier;
            // "according to a pool report": a noun-like cue inside a determined phrase.
            let noun = has_det && super::attrib::is_noun_cue(&x.lower);
            if !gap_ok || x.inq || !word_ok || x.cue.is_some() && !noun {
                break;
            }
            has_det |= x.is(Words::Det);
            j += 1;
        }
        let mut end = w[j - 1].span.end;
        // "said Rep. Jim Clyburn (D-S.C.), a member …": a party tag in parentheses.
        let after = self.slice(end, w.get(j).map_or(end, |x| x.span.start));
        if w[j - 1].cap && after.trim_start().starts_with('(') {
            let rest = self.text.get(end..).unwrap_or("");
            let open = rest.find('(').unwrap_or(0);
            let inner = |c: usize| rest.get(open + 1..c).is_some_and(|t| !t.contains('('));
            if let Some(close) = rest.find(')').filter(|&c| c <= 16 && inner(c)) {
                end += close + 1;
                while j < w.len() && w[j].span.start < end {
                    j += 1;
                }
            }
        }
        // "Stephanie Formas, Clinton's in-state communications director, …": an apposition
        // with a role or a determiner closed by a comma belongs to the name.
        if w[j - 1].cap && !w[j - 1].role {
            if let Some(e) = self.closed_apposition(w, end, j) {
                return Some(Span::new(first.span.start, e));
            }
        }
        // "said Sen. Tom Carper of Delaware.", "said a press release from Judicial Watch.": a
        // short prepositional tail to the end of the sentence belongs to the source.
        // "said Mayor Don Guardian in a telephone interview": a circumstance (a lowercase
        // word after "in", "at", "to", "with") is no part of the source.
        let circumstance = |x: &W| {
            matches!(x.lower.as_str(), "to" | "at" | "with" | "in")
                && w.get(j + 1).is_some_and(|y| !y.cap && !y.role)
        };
        let prep_next = w.get(j).is_some_and(|x| {
            self.gap_plain(end, x.span.start)
                && matches!(x.lower.as_str(), "of" | "from" | "to" | "for" | "at" | "with" | "in")
                && !circumstance(x)
        });
        if prep_next && w.len() - j <= 12 {
            if let Some(s) = self.apposition_to_end(w, first.span.start, j) {
                return Some(s);
            }
        }
        // Apposition after a name: "said Michael Cernech, the city manager."
        let comma_next = w.get(j).is_some_and(|x| self.slice(end, x.span.start).trim() == ",");
        if w[j - 1].cap && !w[j - 1].role && comma_next {
            if let Some(s) = self.apposition_to_end(w, first.span.start, j) {
                return Some(s);
            }
        }
        if w[j - 1].cap && !w[j - 1].role && comma_next && w[j].is(Words::Det) {
            let mut m = j + 1;
            while m < w.len() && m - j < 10 && self.gap_plain(w[m - 1].span.end, w[m].span.start) {
                m += 1;
            }
            let after =
                self.slice(w[m - 1].span.end, w.get(m).map_or(w[m - 1].span.end, |x| x.span.start));
            if m == w.len() || after.trim_start().starts_with(['.', ',', ';']) {
                return Some(Span::new(first.span.start, w[m - 1].span.end));
            }
        }
        // Apposition after a role: "our correspondent, Feras Kilani".
        if w[j - 1].role && self.slice(end, w.get(j).map_or(end, |x| x.span.start)).trim() == "," {
            let mut m = j;
            while m < w.len()
                && w[m].cap
                && (m == j || self.gap_plain(w[m - 1].span.end, w[m].span.start))
            {
                m += 1;
            }
            if m > j {
                end = w[m - 1].span.end;
            }
        }
        Some(Span::new(first.span.start, end))
    }

    /// The end of an apposition `, A … ,` that starts at word `j` (right after `end`), has a
    /// role or opens with a determiner or a possessive, holds no cue, pronoun or quote, and is
    /// closed by a comma within 14 words with more text after it.
    fn closed_apposition(&self, w: &[W], end: usize, j: usize) -> Option<usize> {
        let first = w.get(j)?;
        if self.slice(end, first.span.start).trim() != "," {
            return None;
        }
        let possessive = first.span.slice(self.text).ends_with(['s']) && {
            let t = first.span.slice(self.text);
            t.ends_with("'s") || t.ends_with("’s")
        };
        let mut role = first.is(Words::Det) || possessive;
        for m in j..w.len().min(j + 14) {
            let x = &w[m];
            if x.inq || x.cue.is_some() || x.is(Words::Pronoun) {
                return None;
            }
            role |= x.role;
            let next = w.get(m + 1)?;
            let gap = self.slice(x.span.end, next.span.start);
            if gap.trim() == "," {
                return role.then_some(x.span.end);
            }
            if !self.gap_plain(x.span.end, next.span.start) {
                return None;
            }
        }
        None
    }

    /// `said Steve Smith, a veteran editor who teaches at the University of Idaho.`: an
    /// apposition or relative clause that runs to the end of the unit belongs to the source
    /// (as PolNeAR annotates it), unless it holds a cue or a quote of its own.
    fn apposition_to_end(&self, w: &[W], start: usize, j: usize) -> Option<Span> {
        let tail = w.get(j..)?;
        let first = tail.first()?;
        // "Karen Janes, 67, of Exeter, after listening to …": a circumstance after a comma
        // ends the source.
        let cut = (1..tail.len())
            .find(|&m| {
                self.slice(tail[m - 1].span.end, tail[m].span.start).trim() == ","
                    && (is_participle(&tail[m]) || tail[m].is(Words::Circumstance))
            })
            .unwrap_or(tail.len());
        let tail = &tail[..cut];
        let last = tail.last()?;
        let inner = self.slice(first.span.start, last.span.end);
        // "Mr. Trump, in an interview on Friday, …": a circumstance is no apposition.
        let ok = tail.len() <= 25
            && !first.is(Words::AppositionCircumstance)
            && !is_participle(first)
            && !first.lower.ends_with("ing")
            && first.lower != "according"
            && tail.iter().all(|x| !x.inq && x.cue.is_none())
            && !has_opener(inner)
            && !inner.contains([';', ':', '(']);
        ok.then(|| Span::new(start, last.span.end))
    }

    /// The words from `i` up to the next comma when that comes within 20 words ("according
    /// to early results of the exit poll conducted by …, CONTENT").
    pub(super) fn to_comma(&self, w: &[W], i: usize) -> Option<Span> {
        let first = w.get(i).filter(|x| !x.inq)?;
        for j in i..w.len().min(i + 20) {
            let gap =
                self.slice(w[j].span.end, w.get(j + 1).map_or(w[j].span.end, |x| x.span.start));
            if w[j].inq || has_opener(gap) || gap.contains(['.', ';', ':']) {
                return None;
            }
            if gap.contains(',') {
                return (j + 1 < w.len()).then(|| Span::new(first.span.start, w[j].span.end));
            }
        }
        None
    }

    /// Extends a source phrase over lowercase words up to a comma or the unit end when that is
    /// near ("according to Russian state media, …").
    pub(super) fn extend_to_comma(&self, w: &[W], s: Span) -> Span {
        let mut end = s.end;
        let rest: Vec<&W> = w.iter().filter(|x| x.span.start >= s.end).collect();
        if rest.len() <= 4 {
            // "according to new Crowdpac research.": the phrase runs to the end.
            let plain = rest.iter().all(|x| !x.inq && !x.is(Words::NpStop) && x.cue.is_none())
                && rest
                    .iter()
                    .fold((s.end, true), |(e, ok), x| {
                        (x.span.end, ok && self.gap_plain(e, x.span.start))
                    })
                    .1;
            if let Some(last) = rest.last().filter(|_| plain) {
                return Span::new(s.start, last.span.end);
            }
        }
        for x in rest.iter().take(4) {
            let gap = self.slice(end, x.span.start);
            if !self.gap_plain(end, x.span.start) || x.inq || x.is(Words::NpStop) || x.cue.is_some()
            {
                return if gap.trim_start().starts_with([',', '.']) {
                    Span::new(s.start, end)
                } else {
                    s
                };
            }
            end = x.span.end;
        }
        s
    }

    /// The subject of unit `ui`: the noun phrase that opens its main clause.
    pub fn subject(&self, ui: usize) -> Option<Span> {
        let w = self.words(ui);
        let mut i = 0;
        while i < w.len() && w[i].is(Words::SentenceAdverb) {
            i += 1;
        }
        // A dateline ("WASHINGTON —") or a fronted phrase ("Speaking on Sunday, X …",
        // "Asked about it, X …", "In a statement, X …") is no subject: start after it.
        let fronted = w.get(i).is_some_and(|x| {
            let t = x.span.slice(self.text);
            x.lower.ends_with("ing")
                || x.lower.ends_with("ed")
                || x.is(Words::Preposition)
                || matches!(
                    x.lower.as_str(),
                    "as" | "when" | "after" | "before" | "while" | "although"
                )
                || t.len() > 2 && t.chars().all(|c| c.is_uppercase())
        });
        // "Last week, the campaign …", "First, she …": a fronted time phrase before a comma
        // within three words.
        let gap_at = |m: usize| self.slice(w[m - 1].span.end, w[m].span.start);
        let time = w.get(i).is_some_and(|x| x.is(Words::FrontedTime) || x.is(Words::TimeWord))
            && (i + 1..w.len().min(i + 4)).any(|m| gap_at(m).contains(','));
        // "LA CROSSE, Wisc. — Gov. Mike Pence …": a dateline in capitals ends at its dash.
        let caps = |m: usize| {
            let t = w[m].span.slice(self.text);
            t.len() >= 2 && t.chars().all(|c| c.is_uppercase() || c == '.')
        };
        let dateline = w.len() > i + 1 && caps(i) && (caps(i + 1) || gap_at(i + 1).contains(','));
        let dash = (i + 1..w.len().min(i + 6)).find(|&m| gap_at(m).contains(['—', '–']));
        if let (true, Some(m)) = (dateline, dash) {
            i = m;
        } else if fronted || time {
            let comma = (i + 1..w.len()).find(|&m| {
                let g = self.slice(w[m - 1].span.end, w[m].span.start);
                g.contains([',', '—', '–']) && !w[m].inq
            })?;
            i = comma;
        }
        let s = self.np_after(&w, i)?;
        let s = self.cut_at_verb(&w, s);
        let t = s.slice(self.text);
        (!t.is_empty()).then_some(s)
    }

    /// `the man ended up …`, `Davis, a longtime liberal, lashed out …`, `Mrs. Clinton tried to
    /// …`: a subject read up to the sentence's verb ends before it. A verb is a plain
    /// lowercase word after the first one that ends in "-ed" (not hyphenated) or is followed by
    /// a determiner or a particle.
    pub(super) fn cut_at_verb(&self, w: &[W], s: Span) -> Span {
        let inside: Vec<usize> = (0..w.len()).filter(|&m| s.contains(w[m].span)).collect();
        for &m in inside.iter().skip(1) {
            let x = &w[m];
            if x.cap || x.role || x.is(Words::Det) || x.is(Words::Preposition) {
                continue;
            }
            let next = w.get(m + 1).map_or("", |y| y.lower.as_str());
            // "Her campaign quickly blasted out …", "The president left no doubt", "Trump's
            // campaign has …": an adverb before a verb, a common irregular past, an auxiliary.
            let adverb = x.lower.ends_with("ly")
                && w.get(m + 1).is_some_and(|y| !y.cap && !y.is(Words::Det))
                && !matches!(x.lower.as_str(), "family" | "rally" | "supply");
            let irregular = x.is(Words::IrregularVerb);
            let verb = adverb
                || irregular
                || !x.lower.contains('-') && x.lower.len() > 3 && x.lower.ends_with("ed")
                || matches!(
                    next,
                    "a" | "an" | "the" | "his" | "her" | "their" | "its" | "up" | "out" | "to"
                ) && !x.lower.ends_with('s');
            if verb {
                let cut = trim_span(self.text, Span::new(s.start, x.span.start), &[',']);
                if cut.is_empty() {
                    return s;
                }
                return cut;
            }
        }
        s
    }
}

/// A capitalised dotted abbreviation ("U.S.", "J.J.", "D.C."): its period ends no phrase
/// ("U.S. District Judge James Carter said").
fn dotted(x: &W) -> bool {
    x.cap && x.lower.contains('.') && x.lower.len() <= 6
}

/// A lowercase participle opening a phrase ("delivering the speech", "angered that …"),
/// which describes a circumstance rather than who the speaker is.
fn is_participle(x: &W) -> bool {
    !x.cap
        && x.lower.len() > 4
        && (x.lower.ends_with("ing") && !matches!(x.lower.as_str(), "during" | "including")
            || x.lower.ends_with("ed") && !matches!(x.lower.as_str(), "red" | "need" | "seed"))
}

/// A lowercase manner adverb in -ly between a subject and its cue ("justifiably complained",
/// "angrily insisted"); nouns and adjectives in -ly ("family", "rally", "early") are not.
fn is_manner_adverb(x: &W) -> bool {
    !x.cap && x.lower.len() > 5 && x.lower.ends_with("ly") && !x.is(Words::LyWord)
}

pub(super) fn is_preposition(l: &str) -> bool {
    is(Words::Preposition, l)
}

pub(super) fn is_time_word(l: &str) -> bool {
    is(Words::TimeWord, l)
}
