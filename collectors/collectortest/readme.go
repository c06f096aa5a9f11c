package collectortest

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"
)

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// YAMLBlocks returns the YAML code blocks of a Markdown file.
func YAMLBlocks(t testing.TB, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, m := range yamlBlock.FindAllSubmatch(data, -1) {
		out = append(out, m[1])
	}
	return out
}

// DecodeSection decodes the collectors.<name> section of a configuration
// example over def, strictly (unknown keys are errors), as the daemon does.
func DecodeSection[T any](block []byte, name string, def T) (T, error) {
	var top struct {
		Collectors map[string]yaml.Node `yaml:"collectors"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(block))
	dec.KnownFields(true)
	if err := dec.Decode(&top); err != nil {
		return def, err
	}
	node, ok := top.Collectors[name]
	if !ok {
		return def, fmt.Errorf("no collectors.%s section", name)
	}
	section, err := yaml.Marshal(&node)
	if err != nil {
		return def, err
	}
	dec = yaml.NewDecoder(bytes.NewReader(section))
	dec.KnownFields(true)
	v := def
	if err := dec.Decode(&v); err != nil {
		return def, err
	}
	return v, nil
}
