//! Who did or said something: conflicts of agent (and of patient) between origins.
//!
//! Two kinds of evidence, each judged only between *different* origin groups:
//!
//! - **Sentences.** A named person or organization (or several, coordinated: "X and Y") in
//!   a role slot of a verb: its subject ("the Zarqa Front attacked …"), its object ("police
//!   arrested Karel Vosk"), the subject of its passive ("Vosk was arrested") or its "by"
//!   agent. Two sentences that state the same thing once their slot fillers are masked, with
//!   the same verb in the same role, conflict when the fillers are different entities of one
//!   kind and neither sentence names the other's filler at all (an additional participant,
//!   "X and Y attacked" / "X attacked", is no contradiction).
//! - **Quotes.** One wording (the quotes' containment test) attributed by different origins
//!   to different speakers: different named entities of one kind, or two role phrases that
//!   share no word ("the minister" / "the spokesman"). A name against a role ("Peskov" /
//!   "the Kremlin spokesman") cannot be judged and never conflicts.
//!
//! Names are compared through the story's entity table ([`super::canon`]), so "Peskov" and
//! "Dmitry Peskov" are one speaker. Verbs of saying are left to the quotes (the analyzer
//! reads "X said …" and "X claimed responsibility for …" as quotes), so that one
//! disagreement is reported once. Hand-written: the slots are read from the analyzer's
//! mentions and a few word lists, no parser is needed for these patterns.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::LazyLock;

use super::canon::{Entity, EntityTable};
use super::claims::{masked, Found, Loc, MaskedCache};
use super::compare::Statement;
use super::facts::{edges_where, Unit};
use super::quotes::{similar_wording, wording_terms};
use crate::analyze::quote::lexicon::is_role;
use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, EntityKind, Quote, Span};
use crate::report::ConflictReport;
use crate::text::{fold, term, tokens, Token};

/// Score (slot fillers masked) two sentences need before their fillers are compared.
const WHO_THRESHOLD: f32 = 0.6;
/// Longest quote wording shown in a topic, in bytes.
const TOPIC_QUOTE: usize = 60;
/// Placeholder a slot filler is masked with.
const SOMEONE: &str = "Someone";
/// An entity index for a mention the table does not know (its slot is never compared).
const UNKNOWN: usize = usize::MAX;

/// Verbs of saying and reporting: their subject is a speaker, compared through the quotes.
const SAY: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "stated",
    "states",
    "added",
    "adds",
    "claimed",
    "claims",
    "announced",
    "announces",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "warned",
    "warns",
    "insisted",
    "noted",
    "explained",
    "reported",
    "reports",
    "argued",
    "wrote",
    "declared",
    "asserted",
    "suggested",
    "acknowledged",
    "admitted",
    "vowed",
    "pledged",
    "promised",
    "urged",
    "replied",
    "responded",
    "believed",
    "estimated",
    "cited",
    "quoted",
];
/// Irregular verb forms read as verbs, with their base.
const IRREGULAR: &[(&str, &str)] = &[
    ("took", "take"),
    ("takes", "take"),
    ("led", "lead"),
    ("leads", "lead"),
    ("sent", "send"),
    ("sends", "send"),
    ("shot", "shoot"),
    ("struck", "strike"),
    ("fled", "flee"),
    ("won", "win"),
    ("wins", "win"),
    ("lost", "lose"),
    ("met", "meet"),
    ("meets", "meet"),
    ("held", "hold"),
    ("holds", "hold"),
    ("gave", "give"),
    ("made", "make"),
    ("began", "begin"),
    ("caught", "catch"),
    ("brought", "bring"),
    ("bought", "buy"),
    ("sold", "sell"),
    ("fought", "fight"),
    ("built", "build"),
    ("chose", "choose"),
    ("stole", "steal"),
    ("beat", "beat"),
    ("hit", "hit"),
    ("hurt", "hurt"),
    ("slew", "slay"),
];
/// Classes of verbs that name one action (`data/synth/verbs.txt`): each verb's base mapped
/// to its class's line number.
static VERB_CLASSES: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
    let data = include_str!("../../data/synth/verbs.txt");
    let lines = data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let mut out = HashMap::new();
    for (class, line) in lines.enumerate() {
        for w in line.split_whitespace() {
            out.insert(base_of(w), class);
        }
    }
    out
});

/// The base of a lowercase verb form: its irregular base, else its stem.
fn base_of(lower: &str) -> String {
    match IRREGULAR.iter().find(|(w, _)| *w == lower) {
        Some((_, base)) => (*base).to_string(),
        None => term(lower),
    }
}

/// Whether two verb bases name one action: the same verb, or verbs of one class
/// ("detain" / "arrest").
fn same_action(a: &str, b: &str) -> bool {
    a == b || VERB_CLASSES.get(a).is_some_and(|c| VERB_CLASSES.get(b) == Some(c))
}
/// Words ending in "-ed" that are not verbs.
const NOT_VERBS: &[&str] =
    &["hundred", "indeed", "united", "based", "related", "limited", "alleged"];
/// Words that may stand between a subject and its verb ("X also attacked", "X has seized").
const BETWEEN: &[&str] = &[
    "also",
    "reportedly",
    "allegedly",
    "later",
    "then",
    "again",
    "already",
    "officially",
    "publicly",
    "formally",
    "subsequently",
    "apparently",
    "initially",
    "first",
    "finally",
    "previously",
    "recently",
    "immediately",
    "has",
    "have",
    "had",
];
/// Auxiliaries of the passive ("X was arrested").
const PASSIVE: &[&str] = &["was", "were", "is", "are", "been", "be", "being"];
/// Words of a role phrase that say nothing about the role ("the", "a", "his").
const DETERMINERS: &[&str] =
    &["the", "a", "an", "his", "her", "its", "their", "our", "one", "another", "senior", "top"];
/// Heads of role phrases that name an institution rather than a person's role.
const INSTITUTIONS: &[&str] = &[
    "ministry",
    "police",
    "government",
    "company",
    "firm",
    "authority",
    "authorities",
    "agency",
    "agencies",
    "media",
    "source",
    "military",
    "army",
    "embassy",
    "office",
    "operator",
    "manufacturer",
    "coastguard",
    "guard",
    "council",
    "union",
];
/// Most words (determiners aside) in a role phrase.
const MAX_ROLE_WORDS: usize = 4;
/// Role nouns that name one speaker in different words.
const ROLE_SYNONYMS: &[&[&str]] = &[
    &["spokesman", "spokeswoman", "spokesperson", "representative", "spokespeople"],
    &["company", "firm", "operator", "manufacturer", "maker", "carrier", "group"],
    &["official", "officials", "authorities", "authority", "government", "administration"],
    &["police", "officers", "officer", "policeman", "policemen"],
    &["minister", "ministry"],
];

/// A slot filler's relation to its verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The doer: subject of an active verb, or the "by" agent of a passive.
    Agent,
    /// The one done to: object of an active verb, or subject of a passive.
    Patient,
}

/// One filled slot of a sentence.
#[derive(Debug, Clone)]
struct Slot {
    role: Role,
    /// The verb's base ("arrest").
    verb: String,
    /// The verb as written, lowercase ("arrested").
    word: String,
    /// The content word right after an agent's verb ("claimed *responsibility*").
    object: Option<String>,
    /// Entities filling the slot (indices into the story's entity table).
    refs: Vec<usize>,
    /// The filler's span in the repaired text.
    span: Span,
}

impl Slot {
    /// The topic of a conflict over this slot: "who arrested", "who was arrested".
    fn topic(&self) -> String {
        match (self.role, &self.object) {
            (Role::Agent, Some(o)) => format!("who {} {o}", self.word),
            (Role::Agent, None) => format!("who {}", self.word),
            (Role::Patient, _) => format!("who was {}", self.word),
        }
    }
}

/// The base of a verb form written in lowercase ("arrested" → "arrest", "took" → "take").
fn verb_base(tok: &str) -> Option<String> {
    if !tok.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    let lower = fold(tok);
    if IRREGULAR.iter().any(|(w, _)| *w == lower) {
        return Some(base_of(&lower));
    }
    let regular = lower.len() >= 5
        && lower.ends_with("ed")
        && lower.chars().all(|c| c.is_ascii_lowercase())
        && !NOT_VERBS.contains(&lower.as_str());
    regular.then(|| term(&lower))
}

/// The person and organization fillers of unit `u`: mentions (of any kind) joined when
/// coordinated ("X and Y", "X, Y"), each group kept when it holds a person or an
/// organization. Returns (span, entity indices).
fn fillers(batch: &Batch, u: &Unit, entities: &Resolver) -> Vec<(Span, Vec<usize>)> {
    let (Some(rep), Some(an)) = (batch.repaired.get(u.article), batch.analyzed.get(u.article))
    else {
        return Vec::new();
    };
    let mut ms: Vec<_> = an.mentions.iter().filter(|m| u.span.contains(m.span)).collect();
    ms.sort_by_key(|m| m.span.start);
    let mut out: Vec<(Span, Vec<usize>)> = Vec::new();
    for m in ms {
        let idx = entities.index_of(&m.text).unwrap_or(UNKNOWN);
        if let Some(last) = out.last_mut() {
            let between = rep.text.get(last.0.end..m.span.start).map(str::trim);
            if matches!(between, Some("," | "and" | ", and" | "&")) {
                last.0 = Span::new(last.0.start, m.span.end);
                if !last.1.contains(&idx) {
                    last.1.push(idx);
                }
                continue;
            }
        }
        out.push((m.span, vec![idx]));
    }
    let actor = |i: &usize| {
        entities
            .entities
            .get(*i)
            .is_some_and(|e| matches!(e.kind, EntityKind::Person | EntityKind::Organization))
    };
    out.retain(|(_, refs)| refs.iter().any(actor));
    out
}

/// The filled slots of unit `u`; verbs inside a quote cue (`cues`) are left to the quotes.
fn slots(batch: &Batch, u: &Unit, entities: &Resolver, cues: &[Span]) -> Vec<Slot> {
    let Some(rep) = batch.repaired.get(u.article) else {
        return Vec::new();
    };
    let text = &rep.text;
    let toks: Vec<Token> = tokens(u.span.slice(text))
        .into_iter()
        .map(|t| Token {
            span: Span::new(t.span.start + u.span.start, t.span.end + u.span.start),
            ..t
        })
        .collect();
    let gap = |a: usize, b: usize| text.get(a..b).unwrap_or("");
    let lower = |k: usize| toks.get(k).map(|t| fold(t.text)).unwrap_or_default();
    let usable = |k: usize| {
        let t = &toks[k];
        !SAY.contains(&fold(t.text).as_str())
            && !cues.iter().any(|c| c.start < t.span.end && t.span.start < c.end)
    };
    let mut out = Vec::new();
    for (span, refs) in fillers(batch, u, entities) {
        // After the filler: its verb (the filler is the subject).
        let mut k = toks.partition_point(|t| t.span.start < span.end);
        if k < toks.len() && gap(span.end, toks[k].span.start).contains(',') {
            // An apposition ("Vosk, the party's leader, resigned"): the verb follows it.
            let close = (k + 1..toks.len().min(k + 10))
                .find(|&j| gap(toks[j - 1].span.end, toks[j].span.start).contains(','));
            k = close.unwrap_or(toks.len());
        }
        while k < toks.len() && BETWEEN.contains(&lower(k).as_str()) {
            k += 1;
        }
        let passive = k < toks.len() && PASSIVE.contains(&lower(k).as_str());
        while k < toks.len() && PASSIVE.contains(&lower(k).as_str()) {
            k += 1;
        }
        if let Some(verb) = toks.get(k).and_then(|t| verb_base(t.text)).filter(|_| usable(k)) {
            let object = toks
                .get(k + 1)
                .filter(|t| gap(toks[k].span.end, t.span.start).trim().is_empty())
                .filter(|t| t.text.chars().all(char::is_lowercase) && t.text.len() > 3)
                .filter(|t| !crate::text::is_stopword(t.text) && verb_base(t.text).is_none())
                .map(|t| t.text.to_string());
            out.push(Slot {
                role: if passive { Role::Patient } else { Role::Agent },
                verb,
                word: lower(k),
                object: if passive { None } else { object },
                refs: refs.clone(),
                span,
            });
        }
        // Before the filler: the verb it is the object of, or the "by" of a passive.
        let mut b = toks.partition_point(|t| t.span.end <= span.start);
        if b > 0 && lower(b - 1) == "the" {
            b -= 1;
        }
        let Some(v) = b.checked_sub(1) else { continue };
        if !gap(toks[v].span.end, if b < toks.len() { toks[b].span.start } else { span.start })
            .trim()
            .is_empty()
        {
            continue;
        }
        let (role, at) = if lower(v) == "by" {
            match v.checked_sub(1) {
                Some(p) => (Role::Agent, p),
                None => continue,
            }
        } else {
            (Role::Patient, v)
        };
        let after_passive = at > 0 && PASSIVE.contains(&lower(at - 1).as_str());
        if role == Role::Patient && after_passive {
            continue;
        }
        if let Some(verb) = verb_base(toks[at].text).filter(|_| usable(at)) {
            out.push(Slot { role, verb, word: lower(at), object: None, refs, span });
        }
    }
    out
}

/// Whether two slots' fillers are different entities of one kind, neither named anywhere in
/// the other sentence (`named_a`, `named_b`: every entity each sentence mentions).
fn different_actors(
    entities: &Resolver,
    a: &[usize],
    b: &[usize],
    named_a: &[usize],
    named_b: &[usize],
) -> bool {
    let kind = |i: &usize| entities.entities.get(*i).map(|e| e.kind);
    let known = |r: &[usize]| r.iter().all(|&i| i != UNKNOWN && kind(&i).is_some());
    let one_kind = a.iter().any(|x| b.iter().any(|y| kind(x) == kind(y)));
    let entity = |i: &usize| entities.entities.get(*i);
    let alike = a.iter().any(|x| {
        b.iter().any(|y| matches!((entity(x), entity(y)), (Some(p), Some(q)) if may_be_one(p, q)))
    });
    known(a)
        && known(b)
        && one_kind
        && !alike
        && a.iter().all(|x| !named_b.contains(x))
        && b.iter().all(|y| !named_a.contains(y))
}

/// Whether two entities the table keeps apart may still be one, as far as their names tell:
/// a name's letters inside the other's ("Vincent DelGiudice" / "Justice Vincent Del
/// Giudice"), an acronym of the other ("THR" / "The Hollywood Reporter"), two persons
/// sharing a name word ("Alice" / "Alice McMeekin", "Ray Kelly" / "Raymond Kelly"), or one
/// letter apart in the surname ("Ilene Wolfe" / "Ilene Wolff"). A conflict of who did or
/// said something between them would more likely be a spelling than a disagreement.
fn may_be_one(p: &Entity, q: &Entity) -> bool {
    let forms = |e: &'_ Entity| -> Vec<String> {
        std::iter::once(&e.name).chain(&e.aliases).map(|f| f.to_lowercase()).collect()
    };
    let (fp, fq) = (forms(p), forms(q));
    let squash = |f: &str| f.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let initials = |f: &str| -> String {
        f.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .filter_map(|w| w.chars().next())
            .collect()
    };
    let words = |f: &str| -> Vec<String> {
        f.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 3 && !is_role(w))
            .map(str::to_string)
            .collect()
    };
    let persons = p.kind == EntityKind::Person && q.kind == EntityKind::Person;
    fp.iter().any(|x| {
        fq.iter().any(|y| {
            let (sx, sy) = (squash(x), squash(y));
            let inside = sx.len() >= 4 && sy.len() >= 4 && (sx.contains(&sy) || sy.contains(&sx));
            let acronym = |short: &str, long: &str| {
                !short.contains(' ') && short.len() >= 2 && initials(long) == short
                    || long.strip_prefix("the ").is_some_and(|l| initials(l) == short)
            };
            let (wx, wy) = (words(x), words(y));
            let shared = persons && wx.iter().any(|w| wy.contains(w));
            let near = persons
                && wx.len() >= 2
                && wy.len() >= 2
                && wx.first() == wy.first()
                && wx.last().zip(wy.last()).is_some_and(|(a, b)| one_apart(a, b));
            inside || acronym(x, y) || acronym(y, x) || shared || near
        })
    })
}

/// Whether two words of at least five letters differ by one substitution.
fn one_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len() && a.len() >= 5 && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// The story's entity table, with the texts of its mentions resolved once (they repeat,
/// and each resolution scans the table).
struct Resolver<'a> {
    table: &'a EntityTable,
    entities: &'a [Entity],
    known: HashMap<&'a str, Option<usize>>,
}

impl<'a> Resolver<'a> {
    fn new(batch: &'a Batch, story: &DerivedStory, table: &'a EntityTable) -> Resolver<'a> {
        let mut known = HashMap::new();
        for &a in &story.story.articles {
            for m in batch.analyzed.get(a).map_or(&[][..], |an| an.mentions.as_slice()) {
                known.entry(m.text.as_str()).or_insert_with(|| table.index_of(&m.text));
            }
        }
        Resolver { table, entities: &table.entities, known }
    }

    /// Index in the table of the entity `name` refers to.
    fn index_of(&self, name: &str) -> Option<usize> {
        match self.known.get(name) {
            Some(&known) => known,
            None => self.table.index_of(name),
        }
    }
}

/// The display value of a set of entities: their names, joined.
fn names(entities: &Resolver, refs: &[usize]) -> String {
    let names: Vec<&str> =
        refs.iter().filter_map(|&i| entities.entities.get(i)).map(|e| e.name.as_str()).collect();
    names.join(" and ")
}

/// Who-did-it conflicts of the story: from sentence slots, then from quote speakers.
pub fn find(
    batch: &Batch,
    story: &DerivedStory,
    units: &[Unit],
    entities: &EntityTable,
) -> Vec<ConflictReport> {
    let entities = &Resolver::new(batch, story, entities);
    let mut found = Found::default();
    by_sentences(batch, story, units, entities, &mut found);
    let mut out = found.reports(batch, "who");
    let mut found = Found::default();
    by_quotes(batch, story, entities, &mut found);
    out.extend(found.reports(batch, "who"));
    out
}

fn by_sentences(
    batch: &Batch,
    story: &DerivedStory,
    units: &[Unit],
    entities: &Resolver,
    found: &mut Found,
) {
    let cues = |a: ArticleIdx| -> Vec<Span> {
        batch
            .analyzed
            .get(a)
            .map(|an| an.quotes.iter().filter_map(|q| q.cue).collect())
            .unwrap_or_default()
    };
    let mut cue_of: Vec<(ArticleIdx, Vec<Span>)> = Vec::new();
    // Units with a filled slot, their slots, and their masked statements.
    let mut slotted: Vec<(usize, Vec<Slot>)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if cue_of.last().is_none_or(|c| c.0 != u.article) {
            cue_of.push((u.article, cues(u.article)));
        }
        let cs = cue_of.last().map_or(&[][..], |c| c.1.as_slice());
        let s = slots(batch, u, entities, cs);
        if !s.is_empty() {
            slotted.push((i, s));
        }
    }
    if slotted.len() < 2 {
        return;
    }
    let mut cache = MaskedCache::new();
    let masked_units: Vec<Unit> = slotted
        .iter()
        .map(|(i, s)| {
            let spans: Vec<Span> = s.iter().map(|s| s.span).collect();
            Unit {
                stmt: masked(batch, &units[*i], &spans, SOMEONE, &mut cache),
                ..units[*i].clone()
            }
        })
        .collect();
    let named = |u: &Unit| -> Vec<usize> {
        batch.analyzed.get(u.article).map_or(Vec::new(), |an| {
            an.mentions
                .iter()
                .filter(|m| u.span.contains(m.span))
                .filter_map(|m| entities.index_of(&m.text))
                .collect()
        })
    };
    // Only pairs of different origins with a slot of one role and action are scored.
    let origin: Vec<usize> =
        slotted.iter().map(|(i, _)| story.origin_of(units[*i].article)).collect();
    let keep = |a: usize, b: usize| {
        let (sa, sb) = (&slotted[a].1, &slotted[b].1);
        origin[a] != origin[b]
            && sa
                .iter()
                .any(|x| sb.iter().any(|y| y.role == x.role && same_action(&y.verb, &x.verb)))
    };
    let mut pairs = edges_where(&masked_units, false, WHO_THRESHOLD, keep);
    pairs.sort_by_key(|p| (p.0, p.1));
    for (a, b, _) in pairs {
        let ((ia, sa), (ib, sb)) = (&slotted[a], &slotted[b]);
        let (ua, ub) = (&units[*ia], &units[*ib]);
        let (na, nb) = (named(ua), named(ub));
        for x in sa {
            let same_slot = sb.iter().find(|y| y.role == x.role && same_action(&y.verb, &x.verb));
            let Some(y) = same_slot else { continue };
            if !different_actors(entities, &x.refs, &y.refs, &na, &nb) {
                continue;
            }
            let topic = x.topic();
            let (la, lb) = ((ua.article, ua.span), (ub.article, ub.span));
            let key = found.key_for(Some(&topic), &[la, lb]);
            let (va, vb) = (names(entities, &x.refs), names(entities, &y.refs));
            found.add(&key, &topic, (&va, la), (&vb, lb));
        }
    }
}

/// Who a quote's origin says spoke it.
#[derive(Debug, Clone, PartialEq)]
enum Speaker {
    /// Named entities (indices into the story's entity table), sorted.
    Named(Vec<usize>),
    /// A role phrase: its words without determiners ("kremlin", "spokesman").
    Role(Vec<String>),
}

impl Speaker {
    /// The speaker of quote `q` in `text`: its resolved name, else the entities its source
    /// phrase names, else its role words; `None` for pronouns and unknown names.
    fn of(q: &Quote, text: &str, entities: &Resolver) -> Option<Speaker> {
        let source = q.source.map(|s| s.slice(text).trim()).unwrap_or("");
        let words: Vec<&str> = tokens(source).iter().map(|t| t.text).collect();
        let pronoun = words.len() == 1
            && matches!(fold(words[0]).as_str(), "he" | "she" | "they" | "it" | "we" | "i");
        if pronoun {
            return None; // resolved within the article at best: too weak to contradict
        }
        if let Some(name) = &q.speaker {
            return entities.index_of(name).map(|i| Speaker::Named(vec![i]));
        }
        let parts: Vec<&str> = source
            .split([','])
            .flat_map(|p| p.split(" and "))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let resolved: Option<Vec<usize>> = parts.iter().map(|p| entities.index_of(p)).collect();
        match resolved {
            Some(mut r) if !r.is_empty() => {
                r.sort_unstable();
                r.dedup();
                Some(Speaker::Named(r))
            }
            _ => {
                let last = words.last()?;
                if !last.chars().next().is_some_and(char::is_lowercase) {
                    return None;
                }
                let role: Vec<String> = words
                    .iter()
                    .map(|w| fold(w))
                    .filter(|w| !DETERMINERS.contains(&w.as_str()))
                    .collect();
                // A short phrase headed by a role or an institution ("the minister", "a
                // police spokesman"), not any lowercase words the attribution caught.
                let head = role.last().map(|h| h.strip_suffix('s').unwrap_or(h).to_string());
                let is_head = |h: &str| is_role(h) || INSTITUTIONS.contains(&h);
                let headed =
                    head.is_some_and(|h| is_head(&h) || role.last().is_some_and(|l| is_head(l)));
                (headed && role.len() <= MAX_ROLE_WORDS).then_some(Speaker::Role(role))
            }
        }
    }

    /// How the speaker is shown as a side's value.
    fn value(&self, entities: &Resolver) -> String {
        match self {
            Speaker::Named(refs) => names(entities, refs),
            Speaker::Role(words) => words.join(" "),
        }
    }
}

/// Whether two role phrases can name one speaker: they share a word (its stem), or two of
/// their words are synonyms.
fn roles_compatible(a: &[String], b: &[String]) -> bool {
    let stems = |r: &[String]| -> HashSet<String> { r.iter().map(|w| term(w)).collect() };
    let (sa, sb) = (stems(a), stems(b));
    if !sa.is_disjoint(&sb) {
        return true;
    }
    ROLE_SYNONYMS.iter().any(|g| {
        a.iter().any(|w| g.contains(&w.as_str())) && b.iter().any(|w| g.contains(&w.as_str()))
    })
}

/// Whether the sentence of `s` names the role `role` (all its words), as a second
/// attribution ("the ministry said …, officials said"): then it is no contradiction.
fn names_role(batch: &Batch, s: &Said, role: &[String]) -> bool {
    let text = batch.repaired.get(s.article).map_or("", |r| s.sentence.slice(&r.text));
    let words: HashSet<String> = tokens(text).iter().map(|t| fold(t.text)).collect();
    role.iter().all(|w| words.contains(w))
}

/// One attributed wording.
struct Said<'a> {
    article: ArticleIdx,
    quote: &'a Quote,
    /// Content terms of the wording ([`super::quotes::wording_terms`]).
    terms: Rc<Vec<String>>,
    speaker: Speaker,
    /// The sentence holding the wording (repaired-text span).
    sentence: Span,
    /// Every entity that sentence mentions.
    named: Vec<usize>,
}

/// Whether entity `i` is one of the story's outlets ("according to The Varnes Tidings"): an
/// outlet that relays a claim is not its speaker.
fn is_outlet(batch: &Batch, story: &DerivedStory, entities: &Resolver, i: usize) -> bool {
    let Some(name) = entities.entities.get(i).map(|e| fold(&e.name)) else {
        return false;
    };
    story.story.articles.iter().filter_map(|&a| batch.articles.get(a)?.source.as_deref()).any(|s| {
        let s = fold(s);
        name.len() >= 4 && (s.contains(&name) || name.contains(&s))
    })
}

fn by_quotes(batch: &Batch, story: &DerivedStory, entities: &Resolver, found: &mut Found) {
    let mut said: Vec<Said> = Vec::new();
    // Copies repeat quotes word for word: the terms of each distinct wording are read once.
    let mut terms_of: HashMap<&str, Rc<Vec<String>>> = HashMap::new();
    for &a in &story.story.articles {
        let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
            continue;
        };
        for q in &an.quotes {
            let Some(speaker) = Speaker::of(q, &rep.text, entities) else { continue };
            if let Speaker::Named(refs) = &speaker {
                if refs.iter().any(|&i| is_outlet(batch, story, entities, i)) {
                    continue;
                }
            }
            let terms = terms_of
                .entry(q.content.slice(&rep.text))
                .or_insert_with_key(|text| Rc::new(wording_terms(text)));
            if terms.len() < 2 {
                continue;
            }
            let terms = terms.clone();
            let sentence = an
                .sentences
                .iter()
                .map(|s| s.span)
                .find(|s| s.start <= q.content.start && q.content.start < s.end)
                .unwrap_or(q.content);
            let named = an
                .mentions
                .iter()
                .filter(|m| sentence.contains(m.span))
                .filter_map(|m| entities.index_of(&m.text))
                .collect();
            said.push(Said { article: a, quote: q, terms, speaker, sentence, named });
        }
    }
    // Reported speech is paraphrase: its wordings must also state the same fact. Prepared
    // lazily (few pairs get this far).
    let mut stmts: Vec<Option<Statement>> = vec![None; said.len()];
    let origin: Vec<usize> = said.iter().map(|s| story.origin_of(s.article)).collect();
    for i in 0..said.len() {
        for j in i + 1..said.len() {
            let (x, y) = (&said[i], &said[j]);
            if origin[i] == origin[j]
                || x.speaker == y.speaker
                || !similar_wording(&x.terms, &y.terms)
            {
                continue;
            }
            if x.quote.direct && y.quote.direct && !one_quotation(batch, x, y) {
                continue;
            }
            if !(x.quote.direct && y.quote.direct) {
                for k in [i, j] {
                    if stmts[k].is_none() {
                        let text =
                            batch.repaired.get(said[k].article).map_or("", |r| r.text.as_str());
                        stmts[k] = Some(Statement::new(said[k].quote.content.slice(text)));
                    }
                }
                let score = match (&stmts[i], &stmts[j]) {
                    (Some(a), Some(b)) => a.score(b),
                    _ => 0.0,
                };
                if score < WHO_THRESHOLD {
                    continue;
                }
            }
            let differ = match (&x.speaker, &y.speaker) {
                (Speaker::Named(a), Speaker::Named(b)) => {
                    different_actors(entities, a, b, &x.named, &y.named)
                }
                (Speaker::Role(a), Speaker::Role(b)) => {
                    !roles_compatible(a, b) && !names_role(batch, y, a) && !names_role(batch, x, b)
                }
                _ => false,
            };
            if !differ {
                continue;
            }
            let topic = quote_topic(batch, x);
            let (lx, ly): (Loc, Loc) = ((x.article, x.sentence), (y.article, y.sentence));
            // One wording is one conflict, however its topic was first worded.
            let key = found.key_for(None, &[lx, ly]);
            let topic = found.topic_of(&key).unwrap_or(topic);
            let (vx, vy) = (x.speaker.value(entities), y.speaker.value(entities));
            found.add(&key, &topic, (&vx, lx), (&vy, ly));
        }
    }
}

/// Whether two direct quotes are one quotation worded twice: quotations are verbatim, so
/// two outlets quoting one utterance share a run of words in order — at least four, and at
/// least three fifths of the shorter quote (all of it when it has fewer than four) — where
/// two utterances on one subject share its names and terms but not a run ("We are thrilled
/// to have Ellen DeGeneres host the Oscars" / "It is an honor to welcome back Ellen
/// DeGeneres as the host"; "absolute heart of the Endangered Species Act" / "For decades,
/// the Endangered Species Act has protected …"). Trims and retranslations keep a run ("it
/// is still premature to talk about it" / "It's premature to talk about it yet").
fn one_quotation(batch: &Batch, x: &Said, y: &Said) -> bool {
    let text = |s: &Said| {
        let text = batch.repaired.get(s.article).map_or("", |r| r.text.as_str());
        s.quote.content.slice(text)
    };
    same_quotation(text(x), text(y))
}

/// [`one_quotation`] of two quote texts.
fn same_quotation(x: &str, y: &str) -> bool {
    let words = |s: &str| -> Vec<String> { tokens(s).iter().map(|t| fold(t.text)).collect() };
    let (a, b) = (words(x), words(y));
    let shorter = a.len().min(b.len());
    let need = shorter.min(MIN_QUOTE_RUN.max((shorter * 3).div_ceil(5)));
    need > 0 && longest_common_run(&a, &b) >= need
}

/// Words in order that two quotations of one utterance share at least (see
/// [`one_quotation`]).
const MIN_QUOTE_RUN: usize = 4;

/// Length of the longest run of equal consecutive words of `a` and `b`.
fn longest_common_run(a: &[String], b: &[String]) -> usize {
    // One row of the classic table: run[j] = length of the common run ending at a[i], b[j].
    let mut run = vec![0usize; b.len() + 1];
    let mut best = 0;
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let up = run[j + 1];
            run[j + 1] = if x == y { diagonal + 1 } else { 0 };
            best = best.max(run[j + 1]);
            diagonal = up;
        }
    }
    best
}

/// "who said “…”" for a direct quote, "who <cue> <content>" for reported speech.
fn quote_topic(batch: &Batch, s: &Said) -> String {
    let text = batch.repaired.get(s.article).map_or("", |r| r.text.as_str());
    let content = s.quote.content.slice(text).trim().trim_end_matches([',', '.', ';', ':']);
    let short = super::shorten(content, TOPIC_QUOTE);
    let cue = s.quote.cue.map(|c| fold(c.slice(text))).filter(|c| !c.contains(' '));
    if s.quote.direct {
        format!("who said “{short}”")
    } else {
        format!("who {} {short}", cue.as_deref().unwrap_or("said"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_quotation_shares_a_run_of_words() {
        let cases = [
            ("We're aware of the off-the-field issue involving Vincent", "We 're aware of the off-the-field issue involving Vincent", true),
            ("it is still premature to talk about it", "It's premature to talk about it yet", true),
            ("The warship immediately altered (its direction) towards the suspicious vessels and challenged them", "The warship immediately altered towards the suspicious vessels and challenged them", true),
            ("Tonight was a peaceful vigil that devolved into a riot", "peaceful vigil that devolved into a riot. The youth in this city", true),
            ("No comment", "no comment", true),
            ("We are thrilled to have Ellen DeGeneres host the Oscars", "It is an honor to welcome back Ellen DeGeneres as the host of the biggest entertainment celebration of the year", false),
            ("For more than three decades, the Endangered Species Act has successfully protected our nation's most threatened wildlife", "For decades, the Endangered Species Act has protected threatened species and their habitats", false),
            ("absolute heart of the Endangered Species Act.", "For decades, the Endangered Species Act has protected threatened species and their habitats", false),
            ("Expert review and oversight are critical", "Many federal agencies do not have the scientific expertise to determine the consequences", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_quotation(a, b), want, "{a} / {b}");
            assert_eq!(same_quotation(b, a), want, "{b} / {a}");
        }
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(longest_common_run(&w("a b c d e"), &w("x b c d y c d e")), 3);
        assert_eq!(longest_common_run(&w("a"), &w("b")), 0);
    }
    use crate::analyze::quote::extract;
    use crate::record::Mention;
    use crate::synthesize::canon::canonicalize;
    use crate::synthesize::facts::tests::batch_of;
    use crate::synthesize::facts::units;

    /// Runs [`find`] on one-line articles, each its own origin unless `groups` says
    /// otherwise. `names` are tagged as mentions of their kind wherever they occur (longest
    /// first, without overlaps); quotes come from the analyzer's quote extractor.
    fn run(
        texts: &[&str],
        groups: Vec<Vec<usize>>,
        names: &[(&str, EntityKind)],
    ) -> Vec<ConflictReport> {
        let (mut batch, story) = batch_of(texts, groups);
        let mut sorted = names.to_vec();
        sorted.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        for (k, rep) in batch.repaired.iter().enumerate() {
            let mut ms: Vec<Mention> = Vec::new();
            for (name, kind) in &sorted {
                for (i, _) in rep.text.match_indices(name) {
                    let span = Span::new(i, i + name.len());
                    if !ms.iter().any(|m| m.span.start < span.end && span.start < m.span.end) {
                        ms.push(Mention { span, kind: *kind, text: name.to_string() });
                    }
                }
            }
            ms.sort_by_key(|m| m.span.start);
            batch.analyzed[k].quotes = extract(&rep.text, &batch.analyzed[k].sentences, &ms);
            batch.analyzed[k].mentions = ms;
        }
        let entities = canonicalize(&batch, &story.story.articles);
        let u = units(&batch, &story.story.articles);
        find(&batch, &story, &u, &entities)
    }

    fn own(n: usize) -> Vec<Vec<usize>> {
        (0..n).map(|i| vec![i]).collect()
    }

    use EntityKind::{Location as L, Organization as O, Person as P};

    const NAMES: &[(&str, EntityKind)] = &[
        ("Karel Vosk", P),
        ("Milan Hrusek", P),
        ("Vosk", P),
        ("Dmitry Peskov", P),
        ("Peskov", P),
        ("Maria Zakharova", P),
        ("Zarqa Front", O),
        ("Jaysh al-Nur", O),
        ("Tarvik Line", O),
        ("Ostrava", L),
        ("Kremlin", L),
    ];

    #[test]
    fn who_conflicts_found() {
        let table: &[(&str, &str, &str, &[&str])] = &[
            (
                "Police arrested Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Police arrested Milan Hrusek at his home in Ostrava late on Tuesday night.",
                "who was arrested",
                &["Karel Vosk", "Milan Hrusek"],
            ),
            (
                "Karel Vosk was arrested at his home in Ostrava late on Tuesday night.",
                "Milan Hrusek was arrested at his home in Ostrava late on Tuesday night.",
                "who was arrested",
                &["Karel Vosk", "Milan Hrusek"],
            ),
            (
                "The Zarqa Front attacked the army convoy on the northern highway at dawn.",
                "The Jaysh al-Nur attacked the army convoy on the northern highway at dawn.",
                "who attacked",
                &["Zarqa Front", "Jaysh al-Nur"],
            ),
            (
                "The Zarqa Front claimed responsibility for the attack on the army convoy.",
                "The Jaysh al-Nur claimed responsibility for the attack on the army convoy.",
                "who claimed responsibility for the attack on the army convoy",
                &["Zarqa Front", "Jaysh al-Nur"],
            ),
            (
                "“We will not leave the city under any circumstances,” Dmitry Peskov said.",
                "“We will not leave the city under any circumstances,” Maria Zakharova said.",
                "who said “We will not leave the city under any circumstances”",
                &["Dmitry Peskov", "Maria Zakharova"],
            ),
            (
                "“We will not leave the city under any circumstances,” the minister said.",
                "“We will not leave the city under any circumstances,” the spokesman said.",
                "who said “We will not leave the city under any circumstances”",
                &["minister", "spokesman"],
            ),
        ];
        for (a, b, topic, want) in table {
            let c = run(&[a, b], own(2), NAMES);
            assert_eq!(c.len(), 1, "{a} | {b}: {c:#?}");
            assert_eq!(c[0].kind, "who");
            assert_eq!(c[0].topic, *topic, "{a} | {b}");
            let values: Vec<&str> = c[0].sides.iter().map(|s| s.value.as_str()).collect();
            assert_eq!(values, *want, "{a} | {b}");
            for (k, side) in c[0].sides.iter().enumerate() {
                let sup = &side.support[0];
                assert_eq!(sup.article, format!("a{k}"));
                let raw = if k == 0 { a } else { b };
                assert_eq!(raw.get(sup.start..sup.end), Some(sup.sentence.as_str()));
            }
        }
    }

    #[test]
    fn no_who_conflict_without_a_contradiction() {
        let table: &[(&str, &str)] = &[
            // One person named differently.
            (
                "“We will not leave the city under any circumstances,” Dmitry Peskov said.",
                "“We will not leave the city under any circumstances,” Peskov said.",
            ),
            (
                "Police arrested Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Police arrested Vosk at his home in Ostrava late on Tuesday night.",
            ),
            // A name against a role: cannot be judged.
            (
                "“We will not leave the city under any circumstances,” Dmitry Peskov said.",
                "“We will not leave the city under any circumstances,” the Kremlin spokesman said.",
            ),
            // Attributions that are no role ("sporadic fighting continues").
            (
                "“We will not leave the city under any circumstances,” the minister said.",
                "“We will not leave the city under any circumstances,” sporadic fighting suggested.",
            ),
            // A second attribution in the same sentence names the other's role.
            (
                "The ministry said talks with the new authorities would begin soon.",
                "The ministry said talks with the new authorities would begin soon, officials said.",
            ),
            // Roles that can name one speaker.
            (
                "“We will not leave the city under any circumstances,” the spokesman said.",
                "“We will not leave the city under any circumstances,” a ministry spokeswoman said.",
            ),
            // A second agent is an additional participant.
            (
                "The Zarqa Front and the Jaysh al-Nur attacked the army convoy on the northern highway at dawn.",
                "The Zarqa Front attacked the army convoy on the northern highway at dawn.",
            ),
            (
                "The Zarqa Front attacked the army convoy on the northern highway at dawn.",
                "The Jaysh al-Nur attacked the army convoy on the northern highway at dawn, alongside the Zarqa Front.",
            ),
            // Different kinds: the Kremlin (a place) speaks through its spokesman.
            (
                "“We will not leave the city under any circumstances,” the Kremlin said.",
                "“We will not leave the city under any circumstances,” Peskov said.",
            ),
            // Paraphrase with other verbs, and unrelated sentences.
            (
                "Police arrested Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Milan Hrusek was questioned by detectives about the fire at the depot.",
            ),
            (
                "Karel Vosk visited the harbour on Monday to meet the families of the crew.",
                "Milan Hrusek signed the new budget into law after a long debate in parliament.",
            ),
            // Reported speech that shares words but not its claim.
            (
                "Three people died and eleven are missing after the ferry capsized off the point, Tarvik Line reported.",
                "Inspectors warned of corrosion on the hull of the ferry a year before it capsized off the point, Karel Vosk reported.",
            ),
            // Different quotes by different speakers.
            (
                "“We will not leave the city under any circumstances,” Dmitry Peskov said.",
                "“Prices will rise again next year across the whole region,” Maria Zakharova said.",
            ),
        ];
        for (a, b) in table {
            let c = run(&[a, b], own(2), NAMES);
            assert!(c.is_empty(), "{a} | {b}: {c:#?}");
        }
    }

    #[test]
    fn verbs_of_one_class_fill_one_slot() {
        // (a, b, conflict expected)
        let table: &[(&str, &str, bool)] = &[
            (
                "Police detained Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Police arrested Milan Hrusek at his home in Ostrava late on Tuesday night.",
                true,
            ),
            (
                "Police detained Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Milan Hrusek was arrested by police at his home in Ostrava late on Tuesday night.",
                true,
            ),
            (
                "Karel Vosk was wounded in the attack on the army convoy near Ostrava at dawn.",
                "Milan Hrusek was injured in the attack on the army convoy near Ostrava at dawn.",
                true,
            ),
            (
                "The Zarqa Front killed the army commander near Ostrava at dawn on Tuesday.",
                "The Jaysh al-Nur murdered the army commander near Ostrava at dawn on Tuesday.",
                true,
            ),
            // Verbs of different classes: no contradiction, two events.
            (
                "Police detained Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Police released Milan Hrusek at his home in Ostrava late on Tuesday night.",
                false,
            ),
            (
                "Karel Vosk was killed in the attack on the army convoy near Ostrava at dawn.",
                "Milan Hrusek was injured in the attack on the army convoy near Ostrava at dawn.",
                false,
            ),
            // One class, one person: agreement.
            (
                "Police detained Karel Vosk at his home in Ostrava late on Tuesday night.",
                "Vosk was arrested by police at his home in Ostrava late on Tuesday night.",
                false,
            ),
        ];
        for (a, b, want) in table {
            let c = run(&[a, b], own(2), NAMES);
            assert_eq!(c.len(), usize::from(*want), "{a} | {b}: {c:#?}");
            if *want {
                let values: Vec<&str> = c[0].sides.iter().map(|s| s.value.as_str()).collect();
                assert_eq!(values.len(), 2, "{c:#?}");
                assert_ne!(values[0], values[1]);
            }
        }
        let pairs = [
            ("arrested", "detained", true),
            ("held", "arrested", true),
            ("killed", "injured", false),
        ];
        for (x, y, want) in pairs {
            assert_eq!(same_action(&base_of(x), &base_of(y)), want, "{x} {y}");
        }
    }

    #[test]
    fn copies_of_one_origin_never_conflict() {
        let a = "Police arrested Karel Vosk at his home in Ostrava late on Tuesday night.";
        let b = "Police arrested Milan Hrusek at his home in Ostrava late on Tuesday night.";
        assert!(run(&[a, b], vec![vec![0, 1]], NAMES).is_empty());
        // Three articles, two origins: the copy joins its origin's side, one conflict.
        let c = run(&[a, a, b], vec![vec![0, 1], vec![2]], NAMES);
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].sides[0].support.len(), 2);
        assert_eq!(c[0].sides[1].support.len(), 1);
    }

    #[test]
    fn an_outlet_that_relays_a_claim_is_not_its_speaker() {
        let a = "Three people died after the ferry capsized off the point late on Tuesday, Tarvik Line reported.";
        let b = "Three people died after the ferry capsized off the point late on Tuesday, the Varnes Tidings reported.";
        let names = [("Tarvik Line", O), ("Varnes Tidings", O)];
        for (outlet, want) in [(None, 1), (Some("The Varnes Tidings"), 0)] {
            let (mut batch, story) = batch_of(&[a, b], own(2));
            batch.articles[1].source = outlet.map(String::from);
            for (k, rep) in batch.repaired.iter().enumerate() {
                let ms: Vec<Mention> = names
                    .iter()
                    .filter_map(|(n, kind)| {
                        let i = rep.text.find(n)?;
                        Some(Mention {
                            span: Span::new(i, i + n.len()),
                            kind: *kind,
                            text: n.to_string(),
                        })
                    })
                    .collect();
                batch.analyzed[k].quotes = extract(&rep.text, &batch.analyzed[k].sentences, &ms);
                batch.analyzed[k].mentions = ms;
            }
            let entities = canonicalize(&batch, &story.story.articles);
            let u = units(&batch, &story.story.articles);
            let c = find(&batch, &story, &u, &entities);
            assert_eq!(c.len(), want, "{outlet:?}: {c:#?}");
        }
    }

    #[test]
    fn verbs_and_roles() {
        let table = [("arrested", Some("arrest")), ("took", Some("take")), ("Arrested", None)];
        for (w, want) in table {
            assert_eq!(verb_base(w).as_deref(), want, "{w}");
        }
        assert_eq!(verb_base("hundred"), None);
        let r = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(roles_compatible(&r("kremlin spokesman"), &r("spokesman")));
        assert!(roles_compatible(&r("spokesman"), &r("spokeswoman")));
        assert!(roles_compatible(&r("officials"), &r("official")));
        assert!(!roles_compatible(&r("minister"), &r("spokesman")));
    }

    #[test]
    fn odd_text_does_not_panic() {
        let c = run(
            &["İSTANBUL Vosk was was by by arrested Vosk, , and", "", "by Vosk", "Vosk"],
            own(4),
            &[("Vosk", P), ("İSTANBUL", O)],
        );
        assert!(c.len() <= 2);
    }

    #[test]
    fn spellings_of_one_name_may_be_one_entity() {
        let e = |name: &str, kind: EntityKind| Entity {
            name: name.into(),
            kind,
            aliases: Vec::new(),
            articles: Vec::new(),
            mentions: 1,
        };
        let p = EntityKind::Person;
        let o = EntityKind::Organization;
        let table = [
            (e("Vincent DelGiudice", p), e("Justice Vincent Del Giudice", p), true),
            (e("Alice", p), e("Alice McMeekin", p), true),
            (e("Ray Kelly", p), e("Raymond Kelly", p), true),
            (e("Ilene Wolfe", p), e("Ilene Wolff", p), true),
            (e("THR", o), e("The Hollywood Reporter", o), true),
            (e("Vincent Jackson", p), e("Jamal Williams", p), false),
            (e("Craig Zadan", p), e("Paul Lee", p), false),
            (e("Federal Reserve", o), e("Federal Bureau of Investigation", o), false),
            (e("Ilene Wolfe", p), e("Marta Wolff", p), false),
        ];
        for (a, b, want) in table {
            assert_eq!(may_be_one(&a, &b), want, "{} / {}", a.name, b.name);
            assert_eq!(may_be_one(&b, &a), want, "{} / {}", b.name, a.name);
        }
    }
}
