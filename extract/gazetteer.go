package extract

import (
	"strings"
	"time"

	"github.com/briefbot/briefbot/corpus"
)

// countries: name | other names | demonyms | capital. Capitals and demonyms
// stand for their country in news text ("Islamabad says", "Pakistani
// officials"), so an actor is found under any of them.
const countries = `Afghanistan||Afghan|Kabul
Argentina||Argentine,Argentinian|Buenos Aires
Australia||Australian|Canberra
Austria||Austrian|Vienna
Azerbaijan||Azerbaijani|Baku
Bahrain||Bahraini|Manama
Bangladesh||Bangladeshi|Dhaka
Belarus||Belarusian|Minsk
Belgium||Belgian|Brussels
Brazil||Brazilian|Brasilia
Britain|United Kingdom,UK,U.K.,Great Britain|British|London
Canada||Canadian|Ottawa
China|People's Republic of China,PRC|Chinese|Beijing
Colombia||Colombian|Bogota
Cuba||Cuban|Havana
Denmark||Danish|Copenhagen
Egypt||Egyptian|Cairo
Ethiopia||Ethiopian|Addis Ababa
Finland||Finnish|Helsinki
France||French|Paris
Germany||German|Berlin
Greece||Greek|Athens
Hungary||Hungarian|Budapest
India||Indian|New Delhi
Indonesia||Indonesian|Jakarta
Iran|Islamic Republic of Iran|Iranian|Tehran
Iraq||Iraqi|Baghdad
Ireland||Irish|Dublin
Israel||Israeli|Tel Aviv
Italy||Italian|Rome
Japan||Japanese|Tokyo
Jordan||Jordanian|Amman
Kazakhstan||Kazakh|Astana
Kenya||Kenyan|Nairobi
Kuwait||Kuwaiti|Kuwait City
Lebanon||Lebanese|Beirut
Libya||Libyan|Tripoli
Malaysia||Malaysian|Kuala Lumpur
Mexico||Mexican|Mexico City
Morocco||Moroccan|Rabat
Netherlands|Holland|Dutch|Amsterdam
Nigeria||Nigerian|Abuja
North Korea|DPRK|North Korean|Pyongyang
Norway||Norwegian|Oslo
Oman||Omani|Muscat
Pakistan||Pakistani|Islamabad
Palestine|Palestinian territories|Palestinian|Ramallah
Philippines||Filipino,Philippine|Manila
Poland||Polish|Warsaw
Portugal||Portuguese|Lisbon
Qatar||Qatari|Doha
Russia|Russian Federation|Russian|Moscow
Saudi Arabia|Kingdom of Saudi Arabia,KSA|Saudi|Riyadh
South Africa||South African|Pretoria
South Korea|Republic of Korea|South Korean|Seoul
Spain||Spanish|Madrid
Sri Lanka||Sri Lankan|Colombo
Sudan||Sudanese|Khartoum
Sweden||Swedish|Stockholm
Switzerland||Swiss|Bern
Syria||Syrian|Damascus
Taiwan||Taiwanese|Taipei
Tajikistan||Tajik|Dushanbe
Thailand||Thai|Bangkok
Turkey|Turkiye,Türkiye|Turkish|Ankara
Ukraine||Ukrainian|Kyiv,Kiev
United Arab Emirates|UAE,Emirates|Emirati|Abu Dhabi
United States|US,U.S.,USA,U.S.A.,America,United States of America|American|Washington
Uzbekistan||Uzbek|Tashkent
Venezuela||Venezuelan|Caracas
Vietnam|Viet Nam|Vietnamese|Hanoi
Yemen||Yemeni|Sanaa
`

// Gazetteer maps the folded names, demonyms and capitals of countries, plus a
// corpus's own actor aliases, to the folded name of the actor they stand for.
type Gazetteer struct {
	actor map[string]string
	// acronyms ("US", "UK") match only when written in capitals, so the
	// pronoun "us" is not the United States.
	acronyms map[string]bool
	// longest is the most words any known name has.
	longest int
	// demonyms are the adjectives of the countries ("Israeli").
	demonyms map[string]bool
	// capitals are the capitals' names ("Washington").
	capitals map[string]bool
}

// Demonym: the word is a country's adjective ("Iranian"), not a name.
func (g *Gazetteer) Demonym(w string) bool { return g.demonyms[corpus.Fold(w)] }

// NewGazetteer builds the table of countries with extra aliases from a corpus.
func NewGazetteer(extra map[string][]string) *Gazetteer {
	g := &Gazetteer{actor: map[string]string{}, acronyms: map[string]bool{}}
	g.demonyms, g.capitals = map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(countries), "\n") {
		f := strings.Split(line, "|")
		key := corpus.Fold(f[0])
		g.add(f[0], key)
		for gi, group := range f[1:] {
			for _, n := range strings.Split(group, ",") {
				if n != "" {
					g.add(n, key)
					switch gi {
					case 1:
						g.demonyms[corpus.Fold(n)] = true
					case 2:
						g.capitals[corpus.Fold(n)] = true
					}
				}
			}
		}
	}
	for actor, names := range extra {
		key := corpus.Fold(actor)
		g.add(actor, key)
		for _, n := range names {
			g.add(n, key)
		}
	}
	return g
}

func (g *Gazetteer) add(name, key string) {
	f := corpus.Fold(name)
	g.actor[f] = key
	if strings.ToUpper(name) == name {
		g.acronyms[f] = true
	}
	if n := len(strings.Fields(f)); n > g.longest {
		g.longest = n
	}
}

// Actor returns the actor a name stands for ("Islamabad" → "pakistan"); a
// name the table does not know stands for itself, folded.
func (g *Gazetteer) Actor(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(corpus.Normalize(name), "'s"), "'")
	f := corpus.Fold(name)
	if a, ok := g.actor[f]; ok {
		return a
	}
	return f
}

// Known reports whether the table knows the name.
func (g *Gazetteer) Known(name string) bool {
	_, ok := g.lookup(name)
	return ok
}

func (g *Gazetteer) lookup(name string) (string, bool) {
	f := corpus.Fold(name)
	a, ok := g.actor[f]
	if !ok || (g.acronyms[f] && strings.ToUpper(name) != name) {
		return "", false
	}
	return a, true
}

// ActorsIn returns the actors named anywhere in text, longest names first so
// that "South Korea" is not also read as "Korea".
func (g *Gazetteer) ActorsIn(text string) []string {
	words := nameWords(text)
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = corpus.Fold(w)
	}
	var out []string
	for i := 0; i < len(words); {
		matched := 0
		if isCapitalized(words[i]) {
			for n := min(g.longest, len(words)-i); n >= 1; n-- {
				key := strings.Join(folded[i:i+n], " ")
				if a, ok := g.actor[key]; ok && (!g.acronyms[key] || strings.ToUpper(words[i]) == words[i]) {
					// A capital that goes on into a longer name is that
					// name's ("The Washington Post", "Moscow Times"), unless
					// what follows is a date ("Washington Monday").
					if g.capitals[key] && i+n < len(words) && isCapitalized(words[i+n]) && !calendarWord(words[i+n]) {
						break
					}
					out = appendUnique(out, a)
					matched = n
					break
				}
			}
		}
		i += max(matched, 1)
	}
	return out
}

// calendarWord: a day or month name, which follows a place in datelines.
// weekdayWord: "Monday" … "Sunday".
func weekdayWord(w string) bool {
	_, err := time.Parse("Monday", w)
	return err == nil
}

func calendarWord(w string) bool {
	_, err := time.Parse("Monday", w)
	if err == nil {
		return true
	}
	_, err = time.Parse("January", w)
	return err == nil
}

// nameWords splits text into words, dropping possessive endings and edge
// punctuation, so "Pakistan's" and "(U.S.)" compare as names.
func nameWords(text string) []string {
	var out []string
	for _, w := range strings.Fields(corpus.Normalize(text)) {
		w = strings.Trim(w, `"()[],;:!?`)
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
		if strings.HasSuffix(w, ".") && !strings.Contains(strings.TrimSuffix(w, "."), ".") {
			w = strings.TrimSuffix(w, ".")
		}
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func appendUnique(list []string, vals ...string) []string {
	for _, v := range vals {
		found := false
		for _, x := range list {
			if x == v {
				found = true
				break
			}
		}
		if !found && v != "" {
			list = append(list, v)
		}
	}
	return list
}
