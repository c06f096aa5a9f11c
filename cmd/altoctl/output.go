package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// output is a command's -o flag.
type output struct {
	value   string
	allowed []string
}

// outputFlag declares -o with its default first among the allowed values.
// -json stays as a shorthand for -o json.
func outputFlag(fs *flag.FlagSet, allowed ...string) *output {
	o := &output{value: allowed[0], allowed: allowed}
	fs.Func("o", fmt.Sprintf("output: %s (default %s)", strings.Join(allowed, ", "), allowed[0]), func(s string) error {
		if !slices.Contains(allowed, s) {
			return fmt.Errorf("want one of %s", strings.Join(allowed, ", "))
		}
		o.value = s
		return nil
	})
	fs.BoolFunc("json", "shorthand for -o json", func(string) error { o.value = "json"; return nil })
	return o
}

func (o *output) json() bool { return o.value == "json" }

func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// writeJSON indents a JSON document onto w.
func writeJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("indent: %w", err)
	}
	buf.WriteByte('\n')
	_, err := buf.WriteTo(w)
	return err
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func dash(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ",")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// formatCost writes integers without a fraction, other numbers in their
// shortest exact form, and anything else (extensions' array costs) as JSON.
func formatCost(raw json.RawMessage) string {
	var v float64
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	return formatNumber(v)
}

func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// costs is a src → dst → cost map: a cost map, or an endpoint cost map.
type costs map[string]map[string]json.RawMessage

// print writes costs as a table of pairs or a src × dst matrix.
func (c costs) print(w io.Writer, format, srcLabel, dstLabel string) {
	tw := newTable(w)
	switch format {
	case "matrix":
		var dsts []string
		for _, row := range c {
			for d := range row {
				if !slices.Contains(dsts, d) {
					dsts = append(dsts, d)
				}
			}
		}
		// A cost map's matrix is square: every PID is a row and a column.
		if srcLabel == "src" {
			for s := range c {
				if !slices.Contains(dsts, s) {
					dsts = append(dsts, s)
				}
			}
		}
		slices.Sort(dsts)
		srcs := sortedKeys(c)
		if srcLabel == "src" {
			srcs = dsts
		}
		fmt.Fprintf(tw, "%s\\%s", srcLabel, dstLabel)
		for _, d := range dsts {
			fmt.Fprintf(tw, "\t%s", d)
		}
		fmt.Fprintln(tw)
		for _, s := range srcs {
			fmt.Fprint(tw, s)
			for _, d := range dsts {
				cell := "-"
				if v, ok := c[s][d]; ok {
					cell = formatCost(v)
				}
				fmt.Fprintf(tw, "\t%s", cell)
			}
			fmt.Fprintln(tw)
		}
	default:
		fmt.Fprintf(tw, "%s\t%s\tCOST\n", strings.ToUpper(srcLabel), strings.ToUpper(dstLabel))
		for _, s := range sortedKeys(c) {
			for _, d := range sortedKeys(c[s]) {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s, d, formatCost(c[s][d]))
			}
		}
	}
	tw.Flush()
}
