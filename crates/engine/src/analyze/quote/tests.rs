//! Table tests for quote extraction.

use super::{direct_pass, extract};

/// Runs the extractor and renders each quote as `speaker | source | cue | content | d/i`.
fn run(text: &str) -> Vec<String> {
    extract(text, &[], &[])
        .iter()
        .map(|q| {
            format!(
                "{} | {} | {} | {} | {}",
                q.speaker.as_deref().unwrap_or("-"),
                q.source.map_or("-", |s| s.slice(text)),
                q.cue.map_or("-", |s| s.slice(text)),
                q.content.slice(text),
                if q.direct { "d" } else { "i" }
            )
        })
        .collect()
}

/// (text, expected quotes rendered as `speaker | source | cue | content | d/i`).
const CASES: &[(&str, &[&str])] = &[
    // Attribution after, pronoun resolved to the person named in the sentence before.
    ("Kremlin spokesman Dmitry Peskov declined to comment. “This is all a subject for discussion,” he said.",
     &["Dmitry Peskov | he | said | This is all a subject for discussion | d"]),
    // A pronoun after an unnamed person means them, not the person named before.
    ("Kremlin spokesman Dmitry Peskov declined to comment. The agency quoted a senior Russian parliamentarian. He warned that Moscow would respond harshly.",
     &["- | He | warned | that Moscow would respond harshly | i"]),
    ("The agency cited a senior parliamentarian, as well as a statement. He warned that Moscow would respond harshly.",
     &["- | He | warned | that Moscow would respond harshly | i"]),
    ("Dmitry Peskov declined to comment. “This is all a subject for discussion,” said a spokesman, Anna Lind. He said nothing more.",
     &["Anna Lind | a spokesman, Anna Lind | said | This is all a subject for discussion | d",
       "Anna Lind | He | said | nothing more | i"]),
    // "a spokesman" in apposition to a name is that person.
    ("Dmitry Peskov, a spokesman, declined to comment. “This is all a subject for discussion,” he said.",
     &["Dmitry Peskov | he | said | This is all a subject for discussion | d"]),
    // Inverted attribution after, with a trailing "as reported by".
    ("“Such decisions cannot be taken without the head of state. It was his decision,” said Dmitry Peskov, as reported by TASS.",
     &["Dmitry Peskov | Dmitry Peskov | said | Such decisions cannot be taken without the head of state. It was his decision | d"]),
    // Attribution before with a colon.
    ("Peskov said: “We are not an exception.”",
     &["Peskov | Peskov | said | We are not an exception. | d"]),
    // Attribution before with a comma.
    ("Kremlin spokesman Dmitry Peskov responded, “It’s premature to talk about it yet.”",
     &["Dmitry Peskov | Kremlin spokesman Dmitry Peskov | responded | It’s premature to talk about it yet. | d"]),
    // "said that" followed by a quote, then "and added:" sharing the speaker.
    ("Dmitry Peskov said that “it is still premature to talk about it” and added: “Everything possible is being done.”",
     &["Dmitry Peskov | Dmitry Peskov | said | it is still premature to talk about it | d",
       "Dmitry Peskov | Dmitry Peskov | added | Everything possible is being done. | d"]),
    // Indirect speech with "that": the complementiser is part of the content (PolNeAR).
    ("Peskov stated that such a meeting is not currently foreseen.",
     &["Peskov | Peskov | stated | that such a meeting is not currently foreseen | i"]),
    // Indirect speech without "that".
    ("The Kremlin spokesman, meanwhile, said the future of the bases would be discussed with the new rulers.",
     &["- | The Kremlin spokesman | said | the future of the bases would be discussed with the new rulers | i"]),
    // Role phrase resolved to the person introduced with that role.
    ("Kremlin spokesman Dmitry Peskov spoke on Monday. The Kremlin spokesman said the bases were safe.",
     &["Dmitry Peskov | The Kremlin spokesman | said | the bases were safe | i"]),
    // A role in apposition after a name introduces the person with it ("Oskar Venn, director
    // of the VMSA"); a later role-only speaker resolves to them.
    ("Oskar Venn, director of the VMSA, spoke on Monday. The director of the VMSA said the search would go on.",
     &["Oskar Venn | The director of the VMSA | said | the search would go on | i"]),
    ("The search went on, said Ilse Marrow, the harbour commissioner. Later the harbour commissioner said the water was cold.",
     &["Ilse Marrow | Ilse Marrow, the harbour commissioner | said | The search went on | i",
       "Ilse Marrow | the harbour commissioner | said | the water was cold | i"]),
    // A name in a list is no apposition, and an unknown role stays unresolved.
    ("Anna Holt, Bo Lind and others met. The director said the talks failed.",
     &["- | The director | said | the talks failed | i"]),
    // A role phrase before a name set off by commas introduces them too; a list does not.
    ("A Brightfold spokesperson, Theo Grantley, spoke on Monday. The spokesperson said the fault lay in the software.",
     &["Theo Grantley | The spokesperson | said | the fault lay in the software | i"]),
    ("The director, Anna Holt and Bo Lind met. The director said the talks failed.",
     &["- | The director | said | the talks failed | i"]),
    ("In the port, Anna Holt, a diver, waited. The director said the talks failed.",
     &["- | The director | said | the talks failed | i"]),
    // Indirect speech with the attribution after.
    ("The bases are fully protected, officials said.",
     &["- | officials | said | The bases are fully protected | i"]),
    // "according to X, CONTENT".
    ("According to Mr. Peskov, “the whole world was surprised by what happened” in Syria.",
     &["Peskov | Mr. Peskov | According to | the whole world was surprised by what happened | d"]),
    // Mixed quote with "according to" after.
    ("Russia is expecting a “very difficult period” in that country, according to Mr. Peskov.",
     &["Peskov | Mr. Peskov | according to | Russia is expecting a “very difficult period” in that country | i"]),
    // Quote continued after the attribution in the same paragraph.
    ("“The embassy is open,” the ambassador said. “It is operating normally under the new flag.”",
     &["- | the ambassador | said | The embassy is open,” the ambassador said. “It is operating normally under the new flag. | d"]),
    // Interrupted quote.
    ("“Judge,” Brafman said, “I have never had that happen in any case.”",
     &["Brafman | Brafman | said | Judge,” Brafman said, “I have never had that happen in any case. | d"]),
    // Paragraph-spanning quote (news convention).
    ("Smith continued:\n“The first part of the argument is long.\n“The second part follows here,” he said.",
     &["Smith | Smith | continued | The first part of the argument is long.\n“The second part follows here | d"]),
    // A continuation paragraph by the same speaker: one utterance (PolNeAR's content span
    // covers both paragraphs).
    ("“We will win this election,” Jones said.\n“And then we will govern for everyone in the country.”",
     &["Jones | Jones | said | We will win this election,” Jones said.\n“And then we will govern for everyone in the country. | d"]),
    // A continuation paragraph after more narration is linked, not merged.
    ("“We will win this election,” Jones said. The crowd cheered.\n“And then we will govern for everyone in the country.”",
     &["Jones | Jones | said | We will win this election | d",
       "Jones | Jones | - | And then we will govern for everyone in the country. | d"]),
    // Guillemets.
    ("« Nous ne sommes pas une exception », a dit Peskov. Peskov said: « We are not an exception ».",
     &["Peskov | Peskov | a dit | Nous ne sommes pas une exception | d",
       "Peskov | Peskov | said | We are not an exception | d"]),
    // German quotes „…“.
    ("Merkel said: „We can do this.“",
     &["Merkel | Merkel | said | We can do this. | d"]),
    // Straight double quotes.
    ("\"We have no comment at this time,\" a spokeswoman told Reuters.",
     &["- | a spokeswoman | told | We have no comment at this time | d"]),
    // Nested single quotes stay inside the outer quote.
    ("“He told me ‘never again’ and left,” Ms. Brown said.",
     &["Brown | Ms. Brown | said | He told me ‘never again’ and left | d"]),
    // Apposition between the quote and the cue.
    ("“The depth of the developments is not yet understood,” Dmitry Polanski, Russia’s deputy envoy to the UN, wrote on Telegram.",
     &["Dmitry Polanski | Dmitry Polanski, Russia’s deputy envoy to the UN | wrote | The depth of the developments is not yet understood | d"]),
    // Apposition between the subject and the cue.
    ("Mikhail Ulyanov, Russia’s envoy in Vienna, later confirmed the reports.",
     &["Mikhail Ulyanov | Mikhail Ulyanov, Russia’s envoy in Vienna | confirmed | the reports | i"]),
    // Role then name after an inverted cue.
    ("“I was just meters away from him,” writes our correspondent, Feras Kilani.",
     &["Feras Kilani | our correspondent, Feras Kilani | writes | I was just meters away from him | d"]),
    // Participle cue takes the subject of its clause.
    ("Moscow confirmed the news, saying that the decision was taken by the president.",
     &["Moscow | Moscow | confirmed | the news | i",
       "Moscow | Moscow | saying | that the decision was taken by the president | i"]),
    // Question with "asked".
    ("“Where is the money?” she asked.",
     &["- | she | asked | Where is the money? | d"]),
    // "told" with an object and "that".
    ("Pate told reporters on Tuesday that he would support the nominee.",
     &["Pate | Pate | told | that he would support the nominee | i"]),
    // Time word between the cue and a bare clause.
    ("The president said Tuesday his actions are consistent with the law.",
     &["- | The president | said | his actions are consistent with the law | i"]),
    // Scare quotes are not speech.
    ("Trump called for an end to what he described as “the madness.”", &[]),
    // A short title in quotes is not speech either.
    ("The film “Gladiator” won many awards.", &[]),
    // A cue without a speaker or content is not a quote.
    ("The talks continued for hours.", &[]),
    // "said" as an adjective.
    ("The said agreement was signed in Istanbul.", &[]),
    // Plural nouns that look like cues.
    ("Thirty states have Republican governors and the United States has fifty.", &[]),
    // Passive "it was noted that" has no speaker.
    ("It was noted that the talks failed.", &[]),
    // Long unattributed quote is kept, without a speaker.
    ("“We see the situation around Ukraine and we see a growing conflict potential everywhere.”",
     &["- | - | - | We see the situation around Ukraine and we see a growing conflict potential everywhere. | d"]),
    // Plural subject with "of".
    ("Half of GOP primary voters said they were angry.",
     &["- | Half of GOP primary voters | said | they were angry | i"]),
    // Surname expanded to the full name introduced earlier.
    ("Israeli Prime Minister Benjamin Netanyahu spoke. Netanyahu said Israel would act.",
     &["Benjamin Netanyahu | Netanyahu | said | Israel would act | i"]),
    // A quote introduced by a colon inside reported speech is the utterance itself.
    ("Peskov said the Kremlin sees turmoil: “We see the situation around Ukraine getting worse.”",
     &["Peskov | Peskov | said | We see the situation around Ukraine getting worse. | d"]),
    // Newswire double apostrophes.
    // A double quote closed by two apostrophes (copy that transcribed only closing marks).
    ("\"Nothing in this rule relieves an agency of its duties, '' Interior Secretary Dirk Kempthorne told reporters.",
     &["Dirk Kempthorne | Interior Secretary Dirk Kempthorne | told | Nothing in this rule relieves an agency of its duties | d"]),
    ("''We wanted to control the real estate,'' said Michael Cernech, the city manager.",
     &["Michael Cernech | Michael Cernech, the city manager | said | We wanted to control the real estate | d"]),
    // A stray unclosed quote mark does not swallow the attribution after it.
    ("The “deal was signed, officials said.",
     &["- | officials | said | The “deal was signed | i"]),
    // A parenthetical attribution after a fronted adjunct: the content follows it.
    ("In the end, Mr. Rosenthal said, union voters almost always vote Democratic.",
     &["Rosenthal | Mr. Rosenthal | said | union voters almost always vote Democratic | i"]),
    // A parenthetical attribution inside the content: the whole sentence is content.
    ("This campaign, he says, is different from the last one.",
     &["- | he | says | This campaign, he says, is different from the last one | i"]),
    // An indirect question after "asked" and its object.
    ("Lee Wang of The Intercept asked Clinton Friday whether she would release transcripts.",
     &["Lee Wang | Lee Wang of The Intercept | asked | whether she would release transcripts | i"]),
    // A question without a speaker ends at its comma.
    ("When asked whom she supported, Ms. Sherry smiled.",
     &["- | - | asked | whom she supported | i"]),
    // A request: "urged X to …".
    ("Some Sanders backers urged him not to back down until Clinton makes concessions.",
     &["- | Some Sanders backers | urged | him not to back down until Clinton makes concessions | i"]),
    // "according to" a lowercase source at the end of the sentence.
    ("Hillary Clinton has raised $2.7 million from tech donors, according to new Crowdpac research.",
     &["- | new Crowdpac research | according to | Hillary Clinton has raised $2.7 million from tech donors | i"]),
    // A party tag in parentheses between the name and the cue.
    ("Sen. Elizabeth Warren (D-MA) said the nominee was a failure in business.",
     &["Elizabeth Warren | Sen. Elizabeth Warren (D-MA | said | the nominee was a failure in business | i"]),
    // A lowercase subject reaching back to the comma.
    ("It is impossible to scour the accounts of each of them, law enforcement officials say.",
     &["- | law enforcement officials | say | It is impossible to scour the accounts of each of them | i"]),
    // A question quote ends its unit; the attribution is the next unit.
    ("“Why is he attacking me?” Trump said. “He has to knock out seven guys first.”",
     &["Trump | Trump | said | Why is he attacking me?” Trump said. “He has to knock out seven guys first. | d"]),
    // A quote after "said that", then a sentence opened by the same subject: no link.
    ("The FBI general counsel said the probe is “ongoing.” He said the FBI has not commented.",
     &["- | The FBI general counsel | said | the probe is “ongoing.” | i",
       "- | He | said | the FBI has not commented | i"]),
    // A subject with a relative clause.
    ("A White House official who spoke anonymously said Wednesday, “There are discussions.”",
     &["- | A White House official who spoke anonymously | said | There are discussions. | d"]),
    // An inverted source with its apposition to the end of the sentence.
    ("“We need new rules,” said Steve Smith, a veteran editor who teaches at the University of Idaho.",
     &["Steve Smith | Steve Smith, a veteran editor who teaches at the University of Idaho | said | We need new rules | d"]),
    // Lowercase modifiers before an inverted name.
    ("\"October provided a resurgence for her,\" said former Obama adviser David Axelrod.",
     &["David Axelrod | former Obama adviser David Axelrod | said | October provided a resurgence for her | d"]),
    // A mixed quote ending its clause keeps the clause.
    ("Golf clubs are ''just scratching out a profit,'' Mr. Hedge said from his office.",
     &["Hedge | Mr. Hedge | said | Golf clubs are ''just scratching out a profit | i"]),
    // "told" with an object and a bare clause.
    ("At the time, he told POLITICO he had kept up his paid speaking schedule.",
     &["- | he | told | he had kept up his paid speaking schedule | i"]),
    // A subordinate clause ends at its comma.
    ("While Ramos said that journalists cannot take sides, he appears uneasy.",
     &["Ramos | Ramos | said | that journalists cannot take sides | i"]),
    // A title-case headline.
    ("Trump Says He Is Unlikely To Get Along With Cameron.\nLONDON - Trump spoke on Friday.",
     &["Trump | Trump | Says | He Is Unlikely To Get Along With Cameron | i"]),
    // A name and a colon opening a headline with a quote; a headline label is no speaker.
    ("John Bolton: ‘Her Slogan Might as Well Be Not Indicted, Yet!’\nThe Latest: Cruz to give away a shotgun",
     &["John Bolton | John Bolton | : | Her Slogan Might as Well Be Not Indicted, Yet! | d"]),
    // A promise takes its infinitive.
    ("Sanders vowed to fight on to the July convention.",
     &["Sanders | Sanders | vowed | to fight on to the July convention | i"]),
    // "According to X," with a one-word source: the content follows the comma.
    ("According to Facebook, Trump generated the most interactions that week.",
     &["Facebook | Facebook | According to | Trump generated the most interactions that week | i"]),
    // Non-ASCII and odd input never panic.
    ("„“”«»‘’\"", &[]),
    // A participle between two quotes introduces the second one (same speaker).
    ("“We are ready,” Lopez said, adding of the mayor, “She has our full support.”",
     &["Lopez | Lopez | said | We are ready | d",
       "Lopez | Lopez | adding | She has our full support. | d"]),
    // ... and a quote right after the participle's clause continues that clause.
    ("“The plan works,” Ortiz said, adding that the vote was close. “We will try again.”",
     &["Ortiz | Ortiz | said | The plan works | d",
       "Ortiz | Ortiz | adding | that the vote was close. “We will try again. | i"]),
    // Lowercase modifiers and occupations inside an inverted source.
    ("“The numbers are bad,” said Democratic pollster Anna Reyes.",
     &["Anna Reyes | Democratic pollster Anna Reyes | said | The numbers are bad | d"]),
    ("“It is a disgrace,” said state party boss Carl Binder.",
     &["Carl Binder | state party boss Carl Binder | said | It is a disgrace | d"]),
    // A circumstance after the inverted source is not part of it.
    ("“Nobody expected this,” said Mayor Tom Brill in a phone interview.",
     &["Tom Brill | Mayor Tom Brill | said | Nobody expected this | d"]),
    // A noun-like cue after an article is a noun: part of the source, not a second cue.
    ("The minister left the summit early, according to a pool report.",
     &["- | a pool report | according to | The minister left the summit early | i"]),
    // "told OBJECT she …": the clause after the object is the content, not the fronted adjunct.
    ("After the meeting in the capital last week, Ana Ruiz told reporters she would run again.",
     &["Ana Ruiz | Ana Ruiz | told | she would run again | i"]),
    // Coordinated subjects.
    ("The talks failed, current and former officials said.",
     &["- | current and former officials | said | The talks failed | i"]),
    ("Mora and Vidal said the deal was dead.",
     &["- | Mora and Vidal | said | the deal was dead | i"]),
    // An apposition between dashes.
    ("Ines Pardo - a lawyer who advised the board - said the vote was fair.",
     &["Ines Pardo | Ines Pardo - a lawyer who advised the board | said | the vote was fair | i"]),
    // Prepositional tails after a role, a plural head or a count; plural possessives.
    ("Aides to Mendez said the schedule was full.",
     &["- | Aides to Mendez | said | the schedule was full | i"]),
    ("A spokesman for the airline said the flight was delayed.",
     &["- | A spokesman for the airline | said | the flight was delayed | i"]),
    ("Six in 10 said the economy was weak.",
     &["- | Six in 10 | said | the economy was weak | i"]),
    ("Torres’ aides said the tour would go on.",
     &["- | Torres’ aides | said | the tour would go on | i"]),
    // A whole noun phrase with a prepositional or participial tail as the subject.
    ("People briefed on the talks said a deal was near.",
     &["- | People briefed on the talks | said | a deal was near | i"]),
    ("In the end, a count by the election board showed the mayor ahead.",
     &[]),
    // Party tags and closed appositions after a name.
    ("“The bill is dead,” said Rep. Ana Voss (D-Ore.), a member of the panel.",
     &["Ana Voss | Rep. Ana Voss (D-Ore.), a member of the panel | said | The bill is dead | d"]),
    ("“We were first,” said Lena Park, the party’s state director, “and we stay.”",
     &["Lena Park | Lena Park, the party’s state director | said | We were first,” said Lena Park, the party’s state director, “and we stay. | d"]),
    // Quantities as subjects.
    ("Most of them said the plant should stay open.",
     &["- | Most of them | said | the plant should stay open | i"]),
    // A quote without inner punctuation before a short attribution.
    ("“The race is a contest of niches” Grubbs said. He left.",
     &["Grubbs | Grubbs | said | The race is a contest of niches | d"]),
    // A name before a colon that opens a quote; a headline in straight single quotes.
    ("The result did not surprise GOP pollster Dana Holt: “Late deciders broke our way again.”",
     &["Dana Holt | GOP pollster Dana Holt | : | Late deciders broke our way again. | d"]),
    ("Okafor: 'Never count the mayor out.'\nThe race tightened.",
     &["Okafor | Okafor | : | Never count the mayor out | d"]),
    // The subject of a participle ends before the sentence's verb.
    ("Ruiz, a veteran organiser, lashed out at the board, saying it had failed the town.",
     &["Ruiz | Ruiz, a veteran organiser | saying | it had failed the town | i"]),
    // Objects of "wrote" and bylines are no speech.
    ("Mora wrote a letter to the council in May.", &[]),
    ("Mora wrote in May that the plan was dead.",
     &["Mora | Mora | wrote | that the plan was dead | i"]),
    ("Lee reported from Oakland.", &[]),
    // A quantity is a subject, not a determiner of a noun ("many argue", unlike "the said").
    ("That plan, many argue, would double the cost of the bridge.",
     &["- | many | argue | That plan, many argue, would double the cost of the bridge | i"]),
    // A noun-like cue after a determiner heads the source ("the report says").
    ("Ferries will stop running by June, the report says.",
     &["- | the report | says | Ferries will stop running by June | i"]),
    // A quoted title before the subject is no quote of the cue that has its own "that".
    ("Speaking on “Morning Desk,” Okafor conceded that the vote was close.",
     &["Okafor | Okafor | conceded | that the vote was close | i"]),
    // A manner adverb in -ly sits between the subject and the cue.
    ("Local farmers bitterly complained that the canal had dried up.",
     &["- | Local farmers | complained | that the canal had dried up | i"]),
    // Plural-looking cues after a named or role subject are verbs.
    ("The candidate claims her rival never paid the fine.",
     &["- | The candidate | claims | her rival never paid the fine | i"]),
    ("Ruiz, a retired teacher, insists the school must stay open.",
     &["Ruiz | Ruiz, a retired teacher | insists | the school must stay open | i"]),
    // A participle takes a bare clause opened by a pronoun, a name or "the".
    ("Mora quit the board in May, claiming she was never consulted.",
     &["Mora | Mora | claiming | she was never consulted | i"]),
    // The topic of a question, and a question after a time phrase.
    ("Asked about the budget, Okafor smiled.",
     &["- | - | Asked | the budget | i"]),
    ("Asked on Monday whether the plant would close, Ruiz shook his head.",
     &["- | - | Asked | whether the plant would close | i"]),
    // A quoted title inside the sentence before a cue with a clause of its own.
    ("On Sunday on “Morning Desk,” Mayor Okafor said the bridge would reopen in May.",
     &["Okafor | Mayor Okafor | said | the bridge would reopen in May | i"]),
    // Approximate counts and percentages are whole sources.
    ("About three in 10 said they would move away.",
     &["- | About three in 10 | said | they would move away | i"]),
    ("The vote was split. 41% say they back the plan.",
     &["- | 41 | say | they back the plan | i"]),
    // A subject ending in an object pronoun ("close to him").
    ("The mill will close in June, a source close to him said.",
     &["- | a source close to him | said | The mill will close in June | i"]),
    // A coordinated plural subject after the content.
    ("Class sizes keep growing, parents and local teachers told reporters.",
     &["- | parents and local teachers | told | Class sizes keep growing | i"]),
    // "said of X:" before a quote.
    ("Ruiz said of the council: “They never listen to us.”",
     &["Ruiz | Ruiz | said | They never listen to us. | d"]),
    // A source that runs to the end of the sentence after "according to".
    ("The plant lost money for a decade, according to an auditor who reviewed its books.",
     &["- | an auditor who reviewed its books | according to | The plant lost money for a decade | i"]),
    // A long quote opening a sentence after an attributed quote continues that speaker.
    ("“We are ready,” Okafor said.\n\nThe ferries are late. “The new ferries will carry twice as many people as the old ones did.”",
     &["Okafor | Okafor | said | We are ready | d",
       "Okafor | Okafor | - | The new ferries will carry twice as many people as the old ones did. | d"]),
    // A paragraph that is one quote, right after a paragraph ending with an attributed
    // quote, goes on with that utterance.
    ("“We are ready,” Okafor said.\n\n“The ferries will run all night.”\n\nThe council agreed.",
     &["Okafor | Okafor | said | We are ready,” Okafor said.\n\n“The ferries will run all night. | d"]),
    // Negated replies: what was not answered is the content.
    ("The mayor did not respond to a request for comment.",
     &["- | The mayor | respond to | a request for comment | i"]),
    ("Ruiz didn't immediately respond to questions about the budget.",
     &["Ruiz | Ruiz | respond to | questions about the budget | i"]),
    // A participle phrase after the name is a circumstance, not part of the source.
    ("Okafor, reading from a prepared text, said the ferries would run all night.",
     &["Okafor | Okafor | said | the ferries would run all night | i"]),
    ("“We waited four hours,” said Dana Holt, 52, of Lagos, after the ferry finally docked.",
     &["Dana Holt | Dana Holt, 52, of Lagos | said | We waited four hours | d"]),
    // An infinitive cue after a verb whose subject is the speaker.
    ("Okafor went on to say that the ferries would run all night.",
     &["Okafor | Okafor | say | that the ferries would run all night | i"]),
    // An infinitive cue after a verb of wanting is not taken.
    ("Okafor wants to say something nice.", &[]),
    ("In her speech, Okafor did not mention the ferry strike.",
     &["Okafor | Okafor | mention | the ferry strike | i"]),
    // A circumstance between commas after the name is no part of the source.
    ("Okafor, in Lagos, said the ferries would run.",
     &["Okafor | Okafor | said | the ferries would run | i"]),
    ("Dana Holt, also speaking in Lagos, said the ferries would run.",
     &["Dana Holt | Dana Holt | said | the ferries would run | i"]),
    ("Okafor, after the strike ended, said the ferries would run.",
     &["Okafor | Okafor | said | the ferries would run | i"]),
    // A time phrase before the comma of a participle ends the clause: its subject speaks.
    ("The union sued the city in court on Friday, claiming the ferries were unsafe.",
     &["- | The union | claiming | the ferries were unsafe | i"]),
    // A clause between commas is no apposition: the participle takes the clause's subject.
    ("In Lagos, Okafor stepped up his attacks on the council, saying the ferries were unsafe.",
     &["Okafor | Okafor | saying | the ferries were unsafe | i"]),
    ("Okafor backed the plan in June, but only after a long debate, telling reporters he had no choice.",
     &["Okafor | Okafor | telling | he had no choice | i"]),
    // A participle right after a clause takes the clause's subject, not its object.
    ("The union issued a statement Tuesday saying the ferries were unsafe.",
     &["- | The union | saying | the ferries were unsafe | i"]),
    // Dotted initials keep a name together and end no sentence.
    ("U.S. District Judge Ada Okafor said the law was clear.",
     &["Ada Okafor | U.S. District Judge Ada Okafor | said | the law was clear | i"]),
    ("“We are ready,” said J.J. Okafor, a ferry pilot.",
     &["J.J Okafor | J.J. Okafor, a ferry pilot | said | We are ready | d"]),
    // A name after a fronted phrase is no apposition of it.
    ("After the vote in Lagos, Dana Holt, 52, told reporters she was relieved.",
     &["Dana Holt | Dana Holt, 52 | told | she was relieved | i"]),
    // Sentence adverbs and adverbs between subject and cue are no part of the source.
    ("Even Okafor, a longtime critic, said the plan was sound.",
     &["Okafor | Okafor, a longtime critic | said | the plan was sound | i"]),
    ("Critics soon noted that the figures were wrong.",
     &["Critics | Critics | noted | that the figures were wrong | i"]),
    // A fronted time phrase or a dateline comes before the subject.
    ("Last week, the union also called on the city to act and said the review was overdue.",
     &["- | the union | said | the review was overdue | i"]),
    ("LAGOS, Nigeria — Gov. Ada Okafor on Thursday blamed the press for the row, saying reporters were nitpicking.",
     &["Ada Okafor | Gov. Ada Okafor | saying | reporters were nitpicking | i"]),
    ("Okafor, in an interview on Friday, barely dwelled on her rivals, saying that she was looking ahead.",
     &["Okafor | Okafor | saying | that she was looking ahead | i"]),
    // A pronoun with a contracted verb is the pronoun alone.
    ("He’s saying the deal is dead.", &["- | He | saying | the deal is dead | i"]),
    // "being" is no subject.
    ("We are now being told that the baseline has moved.", &[]),
    // Lowercase modifiers of a plural head from the clause start belong to the subject.
    ("But ferry safety experts say the boats are sound.",
     &["- | ferry safety experts | say | the boats are sound | i"]),
    // Verbs of loud or interjected speech take a quote; without one they are no speech.
    ("“Build the bridge!” the crowd yelled.",
     &["- | the crowd | yelled | Build the bridge! | d"]),
    ("“Not now,” Okafor interjected.", &["Okafor | Okafor | interjected | Not now | d"]),
    ("The strikers marched through town, chanting “No more ferries!”",
     &["- | The strikers | chanting | No more ferries! | d"]),
    ("He yelled at the crowd for an hour.", &[]),
    // A cue followed by "to" and a verb is no speech: a later comma opens no content.
    ("Russia continues to engage in dialogue with its neighbours, including Iran, as part of the talks.",
     &[]),
    ("The minister was reported to be ill, according to two aides.",
     &["- | two aides | according to | The minister was reported to be ill | i"]),
    // A cue that needs "that" or a quote ends a clause only after a speaker, and takes no
    // content after a bare comma.
    ("Despite the fall of the city, sporadic fighting continues, particularly in the north.", &[]),
    ("The strike is over, the union continued.",
     &["- | the union | continued | The strike is over | i"]),
    // The particle of a phrasal cue belongs to it.
    ("A group of men raised the flag over the embassy, he pointed out.",
     &["- | he | pointed out | A group of men raised the flag over the embassy | i"]),
    // A full name before "of" is the speaker; a lowercase head before "by" names no one; name
    // particles keep an outlet's name whole.
    ("“Two disasters in three weeks is not bad luck,” said Dara Quell of the Seafarers Union.",
     &["Dara Quell | Dara Quell of the Seafarers Union | said | Two disasters in three weeks is not bad luck | d"]),
    ("The hull was corroded, according to documents seen by The Tidings.",
     &["- | documents seen by The Tidings | according to | The hull was corroded | i"]),
    ("The ferry sank at dawn, the French daily Le Courrier du Littoral reported.",
     &["Le Courrier du Littoral | the French daily Le Courrier du Littoral | reported | The ferry sank at dawn | i"]),
    // Postposed speakers and one-word "according to" in French, Spanish, German, Italian and
    // Portuguese.
    ("« Nous continuerons les recherches », a déclaré la commissaire du port, Ilse Marrow.",
     &["Ilse Marrow | la commissaire du port, Ilse Marrow | a déclaré | Nous continuerons les recherches | d"]),
    ("« Nous continuerons », a déclaré Paul Roche. « Il est trop tôt », a-t-il ajouté.",
     &["Paul Roche | Paul Roche | a déclaré | Nous continuerons | d",
       "Paul Roche | il | a-t-il ajouté | Il est trop tôt | d"]),
    ("« Il est trop tôt pour le dire », a affirmé mardi Oskar Venn, directeur de l’agence, selon l’AFP.",
     &["Oskar Venn | Oskar Venn, directeur de l’agence | a affirmé | Il est trop tôt pour le dire | d"]),
    ("“No vamos a parar”, dijo el ministro Luis Ortega.",
     &["Luis Ortega | el ministro Luis Ortega | dijo | No vamos a parar | d"]),
    ("„Wir schaffen das“, sagte Angela Merkel.",
     &["Angela Merkel | Angela Merkel | sagte | Wir schaffen das | d"]),
    ("«Non ci fermeremo», ha detto il sindaco Marco Rossi.",
     &["Marco Rossi | il sindaco Marco Rossi | ha detto | Non ci fermeremo | d"]),
    ("“Vamos continuar”, disse o ministro João Silva.",
     &["João Silva | o ministro João Silva | disse | Vamos continuar | d"]),
    ("« Nous continuerons », a déclaré Ilse Marrow. Selon elle, la mer était trop forte.",
     &["Ilse Marrow | Ilse Marrow | a déclaré | Nous continuerons | d",
       "Ilse Marrow | elle | Selon | la mer était trop forte | i"]),
    ("Según el Ministerio de Defensa, el barco se hundió.",
     &["Ministerio de Defensa | el Ministerio de Defensa | Según | el barco se hundió | i"]),
    // A participle after a reported "that" clause takes that clause's subject; "adding" goes
    // on with the reporter.
    ("The agency said that the spokesman refused to confirm the visit, saying “I have nothing to tell you.”",
     &["- | The agency | said | that the spokesman refused to confirm the visit | i",
       "- | the spokesman | confirm | the visit | i",
       "- | the spokesman | saying | I have nothing to tell you. | d"]),
    ("Okafor said that the ferries were unsafe, adding that the council had known for years.",
     &["Okafor | Okafor | said | that the ferries were unsafe | i",
       "Okafor | Okafor | adding | that the council had known for years | i"]),
    // A postposed verb needs a quote and a comma before it.
    ("Le ministre a déclaré la guerre aux fraudeurs.", &[]),
];

/// (text, the content kind of each quote found, in order).
const KINDS: &[(&str, &[&str])] = &[
    ("Mikhail Ulyanov, Russia’s envoy in Vienna, later confirmed the reports.", &["np"]),
    ("The spokesman refused to confirm Assad’s presence in Russia.", &["np"]),
    ("Inspectors had reported corrosion on the hull in January.", &["np"]),
    ("The authority confirmed that three people had died.", &["clause"]),
    ("The authority confirmed three people had died.", &["clause"]),
    ("The authority said nine people remain missing.", &["clause"]),
    ("“Nobody is giving up,” the commissioner said.", &["quotation"]),
    ("Nine people remain missing, the authority reported.", &["clause"]),
    // A clause holding a whole attribution of its own is an attribution of that quote.
    (
        "Peskov confirmed on Monday that Putin granted the asylum, Al Jazeera reported.",
        &["attribution", "clause"],
    ),
    ("“We are not an exception,” Peskov said, Al Jazeera reported.", &["attribution", "quotation"]),
];

#[test]
fn content_kinds_table() {
    for (text, want) in KINDS {
        let got: Vec<&str> =
            extract(text, &[], &[]).iter().map(|q| q.content_kind.as_str()).collect();
        assert_eq!(got, *want, "{text}");
    }
}

#[test]
fn extraction_table() {
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let got = run(text);
        if got != *want {
            failures.push(format!("{text}\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// The direct quotes of `text` as the stories-only pass finds them, skipping units, and
/// reading every unit.
fn direct_both_ways(text: &str) -> (Vec<crate::record::Quote>, Vec<crate::record::Quote>) {
    (direct_pass(text, true), direct_pass(text, false))
}

#[test]
fn direct_quotes_equal_the_full_pass_ones() {
    let texts = CASES.iter().map(|(t, _)| t.to_string());
    let whole = CASES.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n\n");
    for text in texts.chain([whole]) {
        let (light, full) = direct_both_ways(&text);
        assert_eq!(light, full, "{text}");
    }
}

#[test]
fn long_sentences_with_many_cues_stay_fast() {
    let text = "He said that she said that they said that we said ".repeat(300);
    let start = std::time::Instant::now();
    let q = extract(&text, &[], &[]);
    assert!(!q.is_empty());
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

#[test]
#[ignore]
fn print_seeds() {
    for f in [
        "000_addf9cbb5a6bddca",
        "001_862183701b6f1a2d",
        "002_7032d55af15028bd",
        "003_ab3cf04539f509f2",
        "004_7a51062a2e5abc39",
    ] {
        let t = std::fs::read_to_string(format!("/work/shared/seeds/{f}.txt")).unwrap_or_default();
        println!("=== {f}");
        for l in run(&t) {
            println!("{l}");
        }
    }
}

#[test]
#[ignore]
fn debug_one() {
    let t = std::env::var("QT").unwrap_or_default();
    let segs = super::marks::segments(&t);
    for s in &segs {
        println!("seg {:?} {:?}", s, s.content.slice(&t));
    }
    for u in super::marks::units(&t, &segs) {
        println!("unit {:?}", u.span.slice(&t));
    }
    for l in run(&t) {
        println!("{l}");
    }
}

#[test]
#[ignore]
fn debug_file() {
    let f = std::env::var("QF").unwrap_or("/tmp/quote-cases.txt".into());
    let all = std::fs::read_to_string(f).unwrap_or_default();
    for t in all.split("\n\n") {
        println!("=== {t}");
        for l in run(t) {
            println!("  {l}");
        }
    }
}

/// Speed on real articles: `POLNEAR=… cargo test --release … quote::tests::speed -- --ignored`.
#[test]
#[ignore]
fn speed() {
    use std::io::BufRead;
    let path = std::env::var("POLNEAR").unwrap_or("/work/shared/data/polnear-train.jsonl".into());
    let Ok(f) = std::fs::File::open(path) else {
        return;
    };
    let texts: Vec<String> = std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = std::time::Instant::now();
    let n: usize = texts.iter().map(|t| extract(t, &[], &[]).len()).sum();
    let el = start.elapsed().as_secs_f64();
    println!(
        "{} docs, {bytes} bytes, {n} quotes, {:.3} s, {:.1} us per 5 KB",
        texts.len(),
        el,
        el * 1e6 * 5000.0 / bytes.max(1) as f64
    );
}

/// Words that reach the rules of this module: cues of several languages, particles,
/// prepositions, pronouns, quote marks and punctuation.
const POOL: &[&str] = &[
    "Dara",
    "Quell",
    "of",
    "the",
    "by",
    "seen",
    "documents",
    "said",
    "saying",
    "adding",
    "that",
    "refused",
    "to",
    "confirm",
    "continues",
    "pointed",
    "out",
    "a",
    "déclaré",
    "a-t-il",
    "ajouté",
    "dijo",
    "el",
    "sagte",
    "ha",
    "detto",
    "selon",
    "elle",
    "según",
    "«",
    "»",
    "“",
    "”",
    ",",
    ".",
    "\n",
    "Le",
    "du",
    "Littoral",
    "reported",
    "spokesman",
    "he",
    "il",
    "é",
    "’s",
    "\"",
    "'",
    ":",
    "He was adding more",
];

proptest::proptest! {
    #[test]
    fn quotes_stay_in_bounds_on_any_word_soup(
        words in proptest::collection::vec((0usize..POOL.len(), proptest::bool::ANY), 0..60),
    ) {
        let text: String = words
            .iter()
            .map(|&(w, space)| format!("{}{}", POOL[w], if space { " " } else { "" }))
            .collect();
        for q in extract(&text, &[], &[]) {
            for s in [Some(q.content), q.source, q.cue].into_iter().flatten() {
                proptest::prop_assert!(s.start <= s.end && text.get(s.start..s.end).is_some());
            }
            proptest::prop_assert!(q.direct == (q.content_kind == crate::record::ContentKind::Quotation));
        }
        let (light, full) = direct_both_ways(&text);
        proptest::prop_assert_eq!(light, full);
        // Far from every quote mark, units are skipped: around a long unquoted paragraph
        // of reported speech, the soup must still read the same.
        let filler = "The mayor said that the bridge would stay closed, adding that \
            engineers had found cracks in two of its piers. Officials told reporters \
            the repairs would take weeks. Residents said they were told nothing.";
        let long = format!("{text}\n{filler} {filler}\n{text}\n{filler}");
        let (light, full) = direct_both_ways(&long);
        proptest::prop_assert_eq!(light, full);
    }
}

#[test]
fn role_heads_of_source_phrases() {
    let table: &[(&str, Option<&str>)] = &[
        ("the presidency’s spokesman", Some("spokesman")),
        ("The Kremlin spokesman", Some("spokesman")),
        ("the director of the VMSA", Some("director")),
        ("the harbour commissioner", Some("commissioner")),
        ("a spokesman for the airline", Some("spokesman")),
        ("the President", Some("president")),
        ("Kremlin spokesman Dmitry Peskov", None),
        ("President", None),
        ("he", None),
        ("the agency", None),
        ("", None),
    ];
    for (phrase, want) in table {
        assert_eq!(super::role_head(phrase).as_deref(), *want, "{phrase}");
    }
}

/// (text, the spoken parts of each quote, joined by ` / `): a direct quote interrupted by
/// its attribution is one quote (PolNeAR's content span) whose parts are its segments.
const PARTS: &[(&str, &[&str])] = &[
    // Cue before the speaker, a relative clause in the attribution.
    ("“The sea was rough,” said Pell Annick, a deckhand who was pulled out. “We were told it would ease.”",
     &["The sea was rough / We were told it would ease."]),
    // Speaker before the cue.
    ("“Half the fleet stayed in,” Bram Toller said on Monday. “You could see the swell.”",
     &["Half the fleet stayed in / You could see the swell."]),
    // A pronoun speaker, another verb.
    ("Anna Lind spoke last. “It was hissing,” she added. “I only noticed because I came home early.”",
     &["It was hissing / I only noticed because I came home early."]),
    // Three segments.
    ("“One thing,” said Jonas Pirie. “Another thing,” he went on. “And a third thing.”",
     &["One thing / Another thing / And a third thing."]),
    // An uninterrupted quote is its own single part.
    ("“We will not stop searching until every passenger is found,” said Ilse Marrow.",
     &["We will not stop searching until every passenger is found"]),
    // Reported speech with a quoted fragment is not split (it is no direct quote).
    ("Marrow said the water gave rescuers “a narrow window” for finding survivors.",
     &["the water gave rescuers “a narrow window” for finding survivors"]),
];

#[test]
fn spoken_parts_table() {
    for (text, want) in PARTS {
        let segs = super::segments(text);
        let got: Vec<String> = extract(text, &[], &[])
            .iter()
            .map(|q| {
                let parts: Vec<&str> =
                    super::spoken_parts(&segs, q).iter().map(|s| s.slice(text)).collect();
                parts.join(" / ")
            })
            .collect();
        assert_eq!(&got, want, "{text}");
    }
}
