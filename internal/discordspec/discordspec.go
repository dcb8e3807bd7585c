// Package discordspec checks request bodies against Discord's own OpenAPI
// description (vendored in testdata/openapi.json) and against the limits
// that description leaves out, for tests.
package discordspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// EnvVar names the spec file when it is not in ../shared beside the repository.
const EnvVar = "BRIEFBOT_DISCORD_SPEC"

// Kinds of request body, with their JSON pointers in openapi.json.
const (
	InteractionCallback = "/paths/~1interactions~1{interaction_id}~1{interaction_token}~1callback/post/requestBody/content/application~1json/schema"
	MessageCreate       = "/paths/~1channels~1{channel_id}~1messages/post/requestBody/content/application~1json/schema"
	WebhookExecute      = "/paths/~1webhooks~1{webhook_id}~1{webhook_token}/post/requestBody/content/application~1json/schema"
	EditOriginal        = "/paths/~1webhooks~1{webhook_id}~1{webhook_token}~1messages~1@original/patch/requestBody/content/application~1json/schema"
	BulkGlobalCommands  = "/paths/~1applications~1{application_id}~1commands/put/requestBody/content/application~1json/schema"
	BulkGuildCommands   = "/paths/~1applications~1{application_id}~1guilds~1{guild_id}~1commands/put/requestBody/content/application~1json/schema"
	CreateDM            = "/paths/~1users~1@me~1channels/post/requestBody/content/application~1json/schema"
)

// Spec validates bodies.
type Spec struct {
	schemas map[string]*jsonschema.Schema
	// known is every JSON field name discordgo's types use: a body key
	// outside it is a misspelling the spec would let pass.
	known map[string]bool
}

// Find locates openapi.json: $BRIEFBOT_DISCORD_SPEC, else the copy
// vendored in testdata/ beside this file.
func Find() (string, error) {
	if p := os.Getenv(EnvVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvVar, p, err)
		}
		return p, nil
	}
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot tell where the vendored OpenAPI spec is")
	}
	p := filepath.Join(filepath.Dir(here), "testdata", "openapi.json")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the vendored OpenAPI spec of Discord: %w", err)
	}
	return p, nil
}

// Load compiles the schemas for every kind of body from the spec file.
func Load(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	const url = "https://discord.invalid/openapi.json"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	s := &Spec{schemas: map[string]*jsonschema.Schema{}, known: knownFields()}
	for _, ptr := range []string{InteractionCallback, MessageCreate, WebhookExecute, EditOriginal, BulkGlobalCommands, BulkGuildCommands, CreateDM} {
		sch, err := c.Compile(url + "#" + ptr)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", ptr, err)
		}
		s.schemas[ptr] = sch
	}
	return s, nil
}

// Check returns every problem with a body of the given kind: schema
// violations, unknown field names and Discord's limits.
func (s *Spec) Check(kind string, body []byte) []string {
	sch, ok := s.schemas[kind]
	if !ok {
		return []string{"no schema for " + kind}
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var problems []string
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			problems = append(problems, fmt.Sprintf("schema: %v", ve))
		} else {
			problems = append(problems, err.Error())
		}
	}
	problems = append(problems, s.unknownKeys("", v)...)
	problems = append(problems, limits(kind, v)...)
	return problems
}

func (s *Spec) unknownKeys(at string, v interface{}) []string {
	var out []string
	switch x := v.(type) {
	case map[string]interface{}:
		for k, val := range x {
			if !s.known[k] {
				out = append(out, fmt.Sprintf("unknown field %s.%s", at, k))
			}
			out = append(out, s.unknownKeys(at+"."+k, val)...)
		}
	case []interface{}:
		for i, val := range x {
			out = append(out, s.unknownKeys(fmt.Sprintf("%s[%d]", at, i), val)...)
		}
	}
	return out
}

// knownFields collects the json tags of the discordgo types the bot sends.
func knownFields() map[string]bool {
	known := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Ptr || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name != "" && name != "-" {
				known[name] = true
			}
			walk(f.Type)
		}
	}
	for _, v := range []interface{}{discordgo.InteractionResponse{}, discordgo.MessageSend{}, discordgo.WebhookParams{},
		discordgo.WebhookEdit{}, discordgo.ApplicationCommand{}, discordgo.Button{}, discordgo.ActionsRow{}, discordgo.SelectMenu{}} {
		walk(reflect.TypeOf(v))
	}
	// Components marshal through MarshalJSON with a "type" key.
	known["type"] = true
	// Message create fields discordgo lacks, which the digest sends itself.
	known["nonce"], known["enforce_nonce"] = true, true
	// discordgo's UserChannelCreate sends an anonymous struct.
	known["recipient_id"] = true
	return known
}

// limits checks what Discord documents but the spec does not encode.
func limits(kind string, v interface{}) []string {
	var out []string
	obj, _ := v.(map[string]interface{})
	if kind == InteractionCallback {
		obj, _ = obj["data"].(map[string]interface{})
	}
	if obj == nil {
		return nil
	}
	if c, ok := obj["content"].(string); ok && utf8.RuneCountInString(c) > 2000 {
		out = append(out, fmt.Sprintf("content is %d characters, over 2000", utf8.RuneCountInString(c)))
	}
	total := 0
	embeds, _ := obj["embeds"].([]interface{})
	if len(embeds) > 10 {
		out = append(out, "more than 10 embeds")
	}
	for _, e := range embeds {
		em, _ := e.(map[string]interface{})
		total += runes(em["title"]) + runes(em["description"])
		if f, ok := em["footer"].(map[string]interface{}); ok {
			total += runes(f["text"])
		}
		if a, ok := em["author"].(map[string]interface{}); ok {
			total += runes(a["name"])
		}
		fields, _ := em["fields"].([]interface{})
		for _, f := range fields {
			fm, _ := f.(map[string]interface{})
			total += runes(fm["name"]) + runes(fm["value"])
		}
	}
	if total > 6000 {
		out = append(out, fmt.Sprintf("embeds total %d characters, over 6000", total))
	}
	if choices, ok := obj["choices"].([]interface{}); ok {
		if len(choices) > 25 {
			out = append(out, fmt.Sprintf("%d autocomplete choices, over 25", len(choices)))
		}
		for _, c := range choices {
			cm, _ := c.(map[string]interface{})
			if runes(cm["name"]) > 100 || runes(cm["value"]) > 100 {
				out = append(out, fmt.Sprintf("autocomplete choice over 100 characters: %v", cm))
			}
		}
	}
	rows, _ := obj["components"].([]interface{})
	if len(rows) > 5 {
		out = append(out, fmt.Sprintf("%d action rows, over 5", len(rows)))
	}
	for _, r := range rows {
		rm, _ := r.(map[string]interface{})
		comps, _ := rm["components"].([]interface{})
		if len(comps) > 5 {
			out = append(out, fmt.Sprintf("%d buttons in a row, over 5", len(comps)))
		}
		for _, c := range comps {
			cm, _ := c.(map[string]interface{})
			if runes(cm["custom_id"]) > 100 {
				out = append(out, "custom_id over 100 characters")
			}
		}
	}
	if am, ok := obj["allowed_mentions"].(map[string]interface{}); !ok {
		if embeds, _ := obj["embeds"].([]interface{}); runes(obj["content"]) > 0 || len(embeds) > 0 {
			out = append(out, "allowed_mentions missing: a mention in the text could ping")
		}
	} else if p, _ := am["parse"].([]interface{}); len(p) > 0 {
		out = append(out, fmt.Sprintf("allowed_mentions.parse is %v, want []", p))
	}
	return out
}

func runes(v interface{}) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

// Pretty indents a body for failure messages.
func Pretty(body []byte) string {
	var b bytes.Buffer
	if json.Indent(&b, body, "", "  ") != nil {
		return string(body)
	}
	return b.String()
}
