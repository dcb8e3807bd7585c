// Package extract reads what articles say: direct quotations and who said
// them, dated events, and which actors take positions in which paragraphs.
// Every rule is general; nothing here knows any particular article.
//
// # One article at a time
//
// ArticleFacts reads one article into Facts, and the facts depend on that
// article alone, so updates in any order give what one build gives. The
// reading goes in passes over the same tokens:
//
//  1. newReader tokenizes every sentence of every paragraph (on the
//     normalized text, with markup blanked out; offsets stay those of the
//     text), marks paragraphs that read as headings, and finds the
//     quotation spans (quotes.go, tokens.go).
//  2. collectNames gathers the people the article names, with their
//     titles, into a local registry that says whom a bare surname, a
//     pronoun or a description ("the minister") stands for in this article
//     (names.go, local.go).
//  3. For each sentence, its subject and the people in it; then each
//     quotation is attributed: a name beside a speech verb (direct), a
//     pronoun or a description resolved through the local registry, a
//     quotation that goes on from the one before (continued), one embedded
//     in what someone said, a transcript line or a sentence ending in a
//     colon (introduced). A quotation no rule attributes keeps no speaker:
//     never a guess (quotes.go, english.go).
//  4. Positions: which actors and speakers state or show a position in
//     each paragraph, of what kind (supports, opposes, calls for, …), with
//     the words that say so (positions.go).
//  5. Dates: each paragraph's time expressions, resolved against the
//     article's publication date at their precision, with how (explicit,
//     relative to publication, by tense) (dates.go, periods.go, numbers.go).
//
// The Gazetteer knows countries, their capitals and people's adjectives,
// so that "Islamabad" and "Pakistani officials" count as Pakistan.
//
// # The corpus
//
// The speaker Registry adds up every article's name uses into speakers,
// the same whatever order the articles came in: full names of one person
// join ("Qamar Bajwa", "Qamar Javed Bajwa"), different given names never
// do, and a surname alone stays a speaker of its own. Removing an article
// counts its names out again. A Tally counts the topics and actors worth
// suggesting; Subject is the actor taking positions most often.
//
// Version changes whenever a rule does, so that an index built with older
// rules is rebuilt rather than trusted.
package extract
