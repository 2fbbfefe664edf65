//! Speaker resolution within one article: who "he", "Peskov" or "the Kremlin spokesman" is.
//!
//! Builds a small register of people from the text itself (capitalised names introduced by
//! a title or role — "Kremlin spokesman Dmitry Peskov" — or named as speakers, plus person
//! mentions when the NER supplies them), then resolves a source phrase: a surname to the
//! longest registered form, a role phrase to the last person introduced with that role, a
//! pronoun to the most recent person named as a subject or speaker before it.

use super::lexicon::{is, is_det, is_pronoun, is_role, is_sentence_adverb, Words};
use crate::record::{EntityKind, Mention};
use crate::text::{fold, tokens};

/// A person known in the article.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    roles: Vec<String>,
}

/// The people of one article, and where they are named as possible subjects.
#[derive(Debug, Default)]
pub struct Register {
    people: Vec<Person>,
    /// (byte offset, person index) of subject-like occurrences, in order; [`UNNAMED`] for a
    /// person introduced without a name ("a senior Russian parliamentarian").
    occurrences: Vec<(usize, usize)>,
    /// (byte offset, resolved name) of speakers already resolved.
    speakers: Vec<(usize, String)>,
}

/// The person index of an unnamed person's occurrence: a later "he" or "she" most likely
/// means them, so it resolves to no one rather than to a person named earlier.
const UNNAMED: usize = usize::MAX;

/// Most words between "a"/"an" and the role noun of an unnamed person ("a senior Russian
/// parliamentarian").
const UNNAMED_WORDS: usize = 4;

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_particle(w: &str) -> bool {
    is(Words::NameParticle, w)
}

/// Strips determiners, sentence adverbs, titles and roles from the left of a capitalised run,
/// returning the name part ("Russian President Vladimir Putin" → "Vladimir Putin").
pub fn name_part(words: &[&str]) -> Vec<usize> {
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        let l = fold(w);
        if is_role(&l) || is_det(&l) || is_sentence_adverb(&l) || !is_cap(w) && !is_particle(&l) {
            start = i + 1;
        }
    }
    // "el Ministerio de Defensa": a lowercase particle opening the phrase is an article when
    // two or more words follow it ("de Gaulle" keeps its particle).
    let mut s = start;
    while s < words.len() && !is_cap(words[s]) && is_particle(&fold(words[s])) {
        s += 1;
    }
    if words.len() - s >= 2 {
        start = s;
    }
    (start..words.len()).collect()
}

impl Register {
    /// Builds the register of `text`.
    pub fn build(text: &str, mentions: &[Mention]) -> Register {
        let mut reg = Register::default();
        for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            reg.add(&m.text, None);
        }
        let toks = tokens(text);
        let mut i = 0;
        while i < toks.len() {
            // A capitalised run (allowing name particles).
            let mut j = i;
            while j < toks.len()
                && (is_cap(toks[j].text) || is_particle(&fold(toks[j].text)) && j > i)
                && (j == i || only_space(text, toks[j - 1].span.end, toks[j].span.start))
            {
                j += 1;
            }
            if j == i {
                i += 1;
                continue;
            }
            let words: Vec<&str> = toks[i..j].iter().map(|t| t.text).collect();
            let name_idx = name_part(&words);
            let titled = name_idx.first().is_some_and(|&f| f > 0 && is_role(&fold(words[f - 1])));
            let role_before = i > 0
                && is_role(&fold(toks[i - 1].text))
                && only_space(text, toks[i - 1].span.end, toks[i].span.start);
            if name_idx.len() >= 2 && (titled || role_before) {
                let name = name_idx.iter().map(|&k| words[k]).collect::<Vec<_>>().join(" ");
                let role = if titled { name_idx[0] - 1 } else { usize::MAX };
                let role =
                    if role == usize::MAX { fold(toks[i - 1].text) } else { fold(words[role]) };
                reg.add(&name, Some(role));
            } else if name_idx.len() >= 2 {
                // "Oskar Venn, director of the VMSA": a role in apposition after the name;
                // "A Brightfold spokesperson, Theo Grantley, told …": one before it.
                let (start, end) = (toks[i].span.start, toks[j - 1].span.end);
                let role = apposed_role(text, end).or_else(|| preposed_role(text, start, end));
                if let Some(role) = role {
                    let name = name_idx.iter().map(|&k| words[k]).collect::<Vec<_>>().join(" ");
                    reg.add(&name, Some(role));
                }
            }
            i = j.max(i + 1);
        }
        reg.index(text);
        reg
    }

    fn add(&mut self, name: &str, role: Option<String>) -> usize {
        let name = strip_possessive(name);
        if let Some(k) = self.people.iter().position(|p| p.name == name) {
            if let Some(r) = role {
                self.people[k].roles.push(r.trim_end_matches('.').to_string());
            }
            return k;
        }
        self.people.push(Person { name, roles: role.into_iter().collect() });
        self.people.len() - 1
    }

    /// The people introduced with a role, as (name, role) pairs in the order met.
    pub fn roles(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.people.iter().flat_map(|p| p.roles.iter().map(move |r| (p.name.as_str(), r.as_str())))
    }

    /// Records subject-like occurrences of registered people (not after a preposition, not
    /// possessive).
    fn index(&mut self, text: &str) {
        let toks = tokens(text);
        let lasts: Vec<String> = self.people.iter().map(|p| fold(last_token(&p.name))).collect();
        for (i, t) in toks.iter().enumerate() {
            if unnamed_person(text, &toks, i) {
                self.occurrences.push((t.span.start, UNNAMED));
                continue;
            }
            if !is_cap(t.text) {
                continue; // registered names are capitalised
            }
            let f = fold(t.text);
            let Some(k) = lasts.iter().position(|l| *l == f) else {
                continue;
            };
            let possessive = t.text.ends_with("’s") || t.text.ends_with("'s");
            let after_prep = i > 0 && is(Words::BeforeName, &fold(toks[i - 1].text));
            if !possessive && !after_prep {
                self.occurrences.push((t.span.start, k));
            }
        }
    }

    /// Resolves the source phrase `phrase` found at byte `pos` to a speaker name.
    pub fn resolve(&mut self, phrase: &str, pos: usize) -> Option<String> {
        // "Sen. Elizabeth Warren (D-MA": a party tag is no part of the name.
        let phrase = phrase.split('(').next().unwrap_or(phrase);
        // "X, the head of Y," names X; "our correspondent, Feras Kilani" names the second.
        // Appositions between dashes ("Ines Pardo - a lawyer -") split like commas.
        let phrase = phrase.replace(" - ", ",");
        let mut parts = phrase.split([',', '—', '–']).map(str::trim).filter(|p| !p.is_empty());
        let first = parts.next()?;
        if tokens(first).iter().any(|t| t.text == "and") {
            return None; // "Mora and Vidal": several speakers, no one person
        }
        // "a spokesman for the airline" is the spokesman; "Aides to Mendez", "Six in 10" are
        // not Mendez nor anyone in particular.
        let ft = tokens(first);
        // "Dara Quell of the Seafarers’ Union": a full name (two capitalised words, no
        // determiner or title) before "of" is the speaker; "the Bank of England" and
        // "Secretary of State John Kerry" stay whole.
        let of = ft.iter().position(|t| t.text == "of").filter(|&p| {
            p >= 2
                && ft[..p].iter().all(|t| {
                    let l = fold(t.text);
                    is_cap(t.text) && !is_role(&l) && !is_det(&l)
                })
        });
        let first = match of {
            Some(p) => first[..ft[p].span.start].trim(),
            None => first,
        };
        let ft = tokens(first);
        // "documents seen by The Tidings": a phrase headed by a lowercase noun before "by" names
        // no one (the last capitalised words are the agent, not the speaker).
        let prep = ft.iter().position(|t| {
            matches!(fold(t.text).as_str(), "to" | "for" | "in" | "from" | "at" | "with" | "by")
        });
        // "the director of the VMSA" is the director, not the VMSA ("Secretary of State John
        // Kerry", a capitalised title, stays whole).
        let of_role = ft
            .iter()
            .position(|t| t.text == "of")
            .filter(|&p| p > 0 && is_role(&fold(ft[p - 1].text)) && !is_cap(ft[p - 1].text));
        let prep = match (prep, of_role) {
            (Some(p), Some(o)) => Some(p.min(o)),
            (p, o) => p.or(o),
        };
        let first = match prep {
            Some(p) if p > 0 && is_role(&fold(ft[p - 1].text)) => first[..ft[p].span.start].trim(),
            // A lone or lowercase head before the preposition names a group or a count.
            Some(p) if p == 1 || p > 1 && !is_cap(ft[p - 1].text) => return None,
            Some(p) if p > 1 => first[..ft[p].span.start].trim(),
            _ => first,
        };
        let named =
            |p: &str| tokens(p).last().is_some_and(|t| is_cap(t.text) && !is_role(&fold(t.text)));
        let phrase = if named(first) { first } else { parts.find(|p| named(p)).unwrap_or(first) };
        let toks = tokens(phrase);
        let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
        let last = fold(words.last()?);
        let out = if words.len() == 1 && is(Words::ForeignPronoun, &last) {
            self.recent(pos) // "a-t-il ajouté", "selon elle"
        } else if words.len() == 1 && is_pronoun(&last) {
            if matches!(last.as_str(), "he" | "she") {
                self.recent(pos)
            } else {
                None
            }
        } else if is_role(&last) || !is_cap(words.last()?) {
            self.by_role(&last, pos)
        } else {
            let idx = name_part(&words);
            let name: Vec<&str> = idx.iter().map(|&k| words[k]).collect();
            if name.is_empty() {
                None
            } else {
                Some(self.expand(&strip_possessive(&name.join(" "))))
            }
        };
        if let Some(n) = &out {
            self.speakers.push((pos, n.clone()));
            if n.contains(' ') {
                self.add(n, None);
            }
        }
        out
    }

    /// Records a resolved speaker (continuations of an earlier quote).
    pub fn note_speaker(&mut self, pos: usize, name: &str) {
        self.speakers.push((pos, name.to_string()));
    }

    /// The longest registered name with the same last word (and compatible first words).
    fn expand(&self, name: &str) -> String {
        let l = fold(last_token(name));
        self.people
            .iter()
            .filter(|p| fold(last_token(&p.name)) == l && p.name.ends_with(name))
            .map(|p| p.name.clone())
            .max_by_key(|n| n.len())
            .filter(|n| n.len() > name.len())
            .unwrap_or_else(|| name.to_string())
    }

    /// The person introduced last (before `pos`, else anywhere) with role `role`.
    fn by_role(&self, role: &str, pos: usize) -> Option<String> {
        if !is_role(role) {
            return None;
        }
        let with_role: Vec<usize> = (0..self.people.len())
            .filter(|&k| self.people[k].roles.iter().any(|r| r == role))
            .collect();
        let before = self
            .occurrences
            .iter()
            .filter(|(p, k)| *p < pos && with_role.contains(k))
            .map(|&(_, k)| k)
            .next_back();
        before.or(with_role.first().copied()).map(|k| self.people[k].name.clone())
    }

    fn is_person(&self, name: &str) -> bool {
        let l = fold(last_token(name));
        self.people.iter().any(|p| fold(last_token(&p.name)) == l)
    }

    /// The most recent person named as a subject or speaker before `pos`; no one when an
    /// unnamed person ("a senior official") came after every named one.
    fn recent(&self, pos: usize) -> Option<String> {
        let occ = self.occurrences.iter().rfind(|(p, _)| *p < pos);
        let spk = self.speakers.iter().rfind(|(p, n)| *p < pos && self.is_person(n));
        let named = |k: usize| self.people.get(k).map(|p| p.name.clone());
        match (occ, spk) {
            (Some(&(po, k)), Some((ps, n))) => {
                if po > *ps {
                    named(k)
                } else {
                    Some(self.expand(n))
                }
            }
            (Some(&(_, k)), None) => named(k),
            (None, Some((_, n))) => Some(self.expand(n)),
            (None, None) => None,
        }
    }
}

/// Whether token `i` opens an unnamed person: "a"/"an", up to [`UNNAMED_WORDS`] modifiers,
/// then a lowercase role noun ("a senior Russian parliamentarian", "an official"), not in
/// apposition to a name ("Smith, a spokesman," and "a spokesman, John Smith," name Smith)
/// and not followed by the name ("a spokesman John Smith").
fn unnamed_person(text: &str, toks: &[crate::text::Token<'_>], i: usize) -> bool {
    if !matches!(fold(toks[i].text).as_str(), "a" | "an") {
        return false;
    }
    let Some(h) = (i + 1..toks.len().min(i + 2 + UNNAMED_WORDS)).find(|&h| {
        let l = fold(toks[h].text);
        is_role(&l) && !is_cap(toks[h].text)
    }) else {
        return false;
    };
    // Only words between the article and the head: no punctuation.
    if !(i..h).all(|k| only_space(text, toks[k].span.end, toks[k + 1].span.start)) {
        return false;
    }
    let before = text[..toks[i].span.start].trim_end();
    let after = &text[toks[h].span.end..];
    // "Smith, a spokesman," / "a spokesman, John Smith," (a name after the comma; "a
    // parliamentarian, according to which" is no apposition).
    let apposed = before.ends_with(',')
        || after.strip_prefix(", ").is_some_and(|rest| rest.starts_with(char::is_uppercase));
    // A plain space: `only_space` also passes "parliamentarian. He" (as "Sen. Warren").
    let gap = |t: &crate::text::Token<'_>| text.get(toks[h].span.end..t.span.start);
    let named =
        toks.get(h + 1).is_some_and(|t| is_cap(t.text) && matches!(gap(t), Some(" " | "\u{a0}")));
    !apposed && !named
}

/// Most words an apposition may hold before its head ("Russia’s first deputy permanent
/// representative").
const APPOSITION_WORDS: usize = 6;

/// The role named by an apposition opening at byte `at` (", director of the VMSA,", ", the
/// harbour commissioner."): the phrase after a comma, up to a preposition, relative word or
/// punctuation, headed by a role noun and written in lowercase apart from determiners'
/// possessors ("Russia’s").
fn apposed_role(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?.strip_prefix(", ")?;
    let end =
        rest.find([',', '.', ';', ':', '—', '–', '(', ')', '\n', '“', '"']).unwrap_or(rest.len());
    let toks = tokens(&rest[..end]);
    let stop = (0..toks.len())
        .find(|&k| {
            let l = fold(toks[k].text);
            is(Words::Preposition, &l)
                || is(Words::Wh, &l)
                || l == "of"
                || l == "that"
                || foreign_of(&toks, k)
        })
        .unwrap_or(toks.len());
    if stop == 0 || stop > APPOSITION_WORDS {
        return None;
    }
    let head = fold(toks[stop - 1].text);
    let lower = |t: &&crate::text::Token| {
        !is_cap(t.text) || t.text.ends_with("’s") || t.text.ends_with("'s") || is_det(&fold(t.text))
    };
    (is_role(&head) && !is_cap(toks[stop - 1].text) && toks[..stop].iter().all(|t| lower(&t)))
        .then(|| head.trim_end_matches('.').to_string())
}

/// Most words of a role phrase a name is set in apposition to ("the government's chief
/// spokesman", "le porte-parole du gouvernement français").
const PREPOSED_WORDS: usize = APPOSITION_WORDS + 3;

/// The role of the noun phrase a name at `start..end` is set in apposition to, the phrase
/// before it and the name between commas ("A Brightfold spokesperson, Theo Grantley, told",
/// "Le porte-parole du gouvernement, Paul Andrieu, a déclaré"): the phrase opens its clause
/// (after punctuation or at the start), opens with an article and is headed by a role noun
/// ([`role_head`]). The comma after the name tells an apposition from a list ("The minister,
/// Anna Holt and Bo Lind met").
fn preposed_role(text: &str, start: usize, end: usize) -> Option<String> {
    if !text.get(end..)?.starts_with(',') {
        return None;
    }
    let before = text.get(..start)?.strip_suffix(", ")?;
    let from = before
        .char_indices()
        .rev()
        .find(|&(_, c)| ".,;:!?\n“”\"()—–".contains(c))
        .map_or(0, |(p, c)| p + c.len_utf8());
    let phrase = before.get(from..)?.trim();
    let toks = tokens(phrase);
    let first = fold(toks.first()?.text);
    if toks.len() > PREPOSED_WORDS || !(is_det(&first) || is(Words::ForeignDet, &first)) {
        return None;
    }
    role_head(phrase)
}

/// Whether token `k` is the "of" of another language after a lowercase role noun: a name
/// particle ("de", "du", "del", "della", "do") that ends the role phrase as "of" does ("le
/// porte-parole du Kremlin", "directeur de la VMSA"). A capitalised title keeps a name's
/// particle ("Commission President von der Leyen").
fn foreign_of(toks: &[crate::text::Token<'_>], k: usize) -> bool {
    let Some(prev) = k.checked_sub(1).and_then(|p| toks.get(p)) else { return false };
    toks.get(k).is_some_and(|t| is(Words::NameParticle, &fold(t.text)))
        && is_role(&fold(prev.text))
        && !is_cap(prev.text)
}

/// The role a source phrase names its speaker by when it names no one ("the presidency’s
/// spokesman" → `spokesman`, "the director of the VMSA" → `director`); `None` for a name, a
/// pronoun or a phrase with no role.
pub fn role_head(phrase: &str) -> Option<String> {
    let first = phrase.split([',', '(', '—', '–']).next()?.trim();
    let toks = tokens(first);
    let stop = (0..toks.len())
        .find(|&k| {
            let l = fold(toks[k].text);
            is(Words::Preposition, &l) || l == "of" || foreign_of(&toks, k)
        })
        .unwrap_or(toks.len());
    let head = toks.get(stop.checked_sub(1)?)?;
    let l = fold(head.text);
    (is_role(&l) && !is_cap(head.text) || is_role(&l) && stop > 1)
        .then(|| l.trim_end_matches('.').to_string())
}

fn only_space(text: &str, a: usize, b: usize) -> bool {
    let abbrev =
        text.get(..a).and_then(|t| t.rsplit(' ').next()).is_some_and(|w| is_role(&fold(w)));
    text.get(a..b).is_some_and(|g| g == " " || g == "\u{a0}" || abbrev && g == ". ")
}

fn last_token(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn strip_possessive(name: &str) -> String {
    name.trim_end_matches("’s").trim_end_matches("'s").trim().to_string()
}
