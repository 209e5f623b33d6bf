// SPDX-License-Identifier: Apache-2.0
// `go run check_payloads.go GOLDEN_DIR` reads the payload vectors with Go's
// standard library alone. Every wire must be hex; a valid vector's wire is
// its arm's payloadSize, and its value names that arm.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

type test struct {
	TcID   int
	Result string
	Wire   string // "" when absent: a value encoders must refuse
	Value  struct{ Data struct{ Type any } }
}

func main() {
	failed := 0
	for _, kind := range []string{"client", "server"} {
		var f struct {
			TestGroups []struct {
				Arm         string
				PayloadSize int
				Tests       []test
			}
		}
		text, err := os.ReadFile(os.Args[1] + "/" + kind + "_test.json")
		if err != nil || json.Unmarshal(text, &f) != nil {
			panic("cannot read " + kind + "_test.json")
		}
		results := map[string]int{}
		for _, g := range f.TestGroups {
			for _, t := range g.Tests {
				results[t.Result]++
				wire, err := hex.DecodeString(t.Wire)
				if err != nil || t.Result == "valid" && (len(wire) != g.PayloadSize || t.Value.Data.Type != g.Arm) {
					fmt.Println(kind, "tcId", t.TcID, "is wrong:", len(wire), "bytes,", t.Value.Data.Type, err)
					failed++
				}
			}
		}
		fmt.Println(kind, results)
	}
	if failed > 0 {
		os.Exit(1)
	}
}
