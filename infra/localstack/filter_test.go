package localstack

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func ddbRecord(name string, newImg, oldImg map[string]events.DynamoDBAttributeValue) events.DynamoDBEventRecord {
	return events.DynamoDBEventRecord{
		EventID:   "1",
		EventName: name,
		Change: events.DynamoDBStreamRecord{
			NewImage:       newImg,
			OldImage:       oldImg,
			SequenceNumber: "100",
		},
	}
}

func img(kv ...string) map[string]events.DynamoDBAttributeValue {
	m := map[string]events.DynamoDBAttributeValue{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = events.NewStringAttribute(kv[i+1])
	}
	return m
}

func TestFilterMatch(t *testing.T) {
	recordInsert := ddbRecord("INSERT", img("entity", "record", "PK", "SUBJ#x"), nil)
	gradeRemove := ddbRecord("REMOVE", nil, img("entity", "grade", "PK", "SUBJ#x"))
	gradeModify := ddbRecord("MODIFY", img("entity", "grade", "level", "B"), img("entity", "grade", "level", "A"))
	withNum := ddbRecord("INSERT", map[string]events.DynamoDBAttributeValue{"n": events.NewNumberAttribute("5")}, nil)
	cases := []struct {
		name    string
		filters []string
		event   events.DynamoDBEventRecord
		want    bool
	}{
		{"no filters pass everything", nil, gradeRemove, true},
		{"equality on new image", []string{`{"dynamodb":{"NewImage":{"entity":{"S":["record"]}}}}`}, recordInsert, true},
		{"equality mismatch", []string{`{"dynamodb":{"NewImage":{"entity":{"S":["record"]}}}}`}, gradeModify, false},
		{"missing new image on remove", []string{`{"dynamodb":{"NewImage":{"entity":{"S":["grade"]}}}}`}, gradeRemove, false},
		{"event name list", []string{`{"eventName":["INSERT","MODIFY"],"dynamodb":{"NewImage":{"entity":{"S":["record"]}}}}`}, recordInsert, true},
		{"event name list excludes remove", []string{`{"eventName":["INSERT","MODIFY"]}`}, gradeRemove, false},
		{"filters are OR-ed", []string{`{"dynamodb":{"NewImage":{"entity":{"S":["grade"]}}}}`, `{"dynamodb":{"OldImage":{"entity":{"S":["grade"]}}}}`}, gradeRemove, true},
		{"prefix", []string{`{"dynamodb":{"NewImage":{"PK":{"S":[{"prefix":"SUBJ#"}]}}}}`}, recordInsert, true},
		{"prefix mismatch", []string{`{"dynamodb":{"NewImage":{"PK":{"S":[{"prefix":"DOC#"}]}}}}`}, recordInsert, false},
		{"exists true", []string{`{"dynamodb":{"NewImage":{"entity":[{"exists":true}]}}}`}, recordInsert, true},
		{"exists true on absent", []string{`{"dynamodb":{"NewImage":{"level":[{"exists":true}]}}}`}, recordInsert, false},
		{"exists false on absent", []string{`{"dynamodb":{"NewImage":{"level":[{"exists":false}]}}}`}, recordInsert, true},
		{"exists false on absent parent", []string{`{"dynamodb":{"NewImage":{"level":[{"exists":false}]}}}`}, gradeRemove, true},
		{"exists false on present", []string{`{"dynamodb":{"NewImage":{"entity":[{"exists":false}]}}}`}, recordInsert, false},
		{"anything-but list", []string{`{"eventName":[{"anything-but":["REMOVE"]}]}`}, gradeModify, true},
		{"anything-but list rejects", []string{`{"eventName":[{"anything-but":["REMOVE"]}]}`}, gradeRemove, false},
		{"anything-but scalar", []string{`{"eventName":[{"anything-but":"INSERT"}]}`}, recordInsert, false},
		{"anything-but prefix", []string{`{"dynamodb":{"NewImage":{"PK":{"S":[{"anything-but":{"prefix":"DOC#"}}]}}}}`}, recordInsert, true},
		{"suffix", []string{`{"eventName":[{"suffix":"IFY"}]}`}, gradeModify, true},
		{"equals-ignore-case", []string{`{"eventName":[{"equals-ignore-case":"insert"}]}`}, recordInsert, true},
		{"number strings are not numbers", []string{`{"dynamodb":{"NewImage":{"n":{"N":[{"numeric":[">",1]}]}}}}`}, withNum, false},
		{"string equality on N", []string{`{"dynamodb":{"NewImage":{"n":{"N":["5"]}}}}`}, withNum, true},
		{"all keys must match", []string{`{"eventName":["INSERT"],"dynamodb":{"NewImage":{"entity":{"S":["grade"]}}}}`}, recordInsert, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fs Filters
			for _, p := range c.filters {
				f, err := ParseFilter(p)
				if err != nil {
					t.Fatal(err)
				}
				fs = append(fs, f)
			}
			got, err := fs.Match(c.event)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestFilterNumericAndScalars(t *testing.T) {
	cases := []struct {
		name    string
		pattern string
		event   map[string]any
		want    bool
	}{
		{"numeric range in", `{"n":[{"numeric":[">",0,"<=",5]}]}`, map[string]any{"n": 5}, true},
		{"numeric range out", `{"n":[{"numeric":[">",0,"<=",5]}]}`, map[string]any{"n": 6}, false},
		{"number equality", `{"n":[5]}`, map[string]any{"n": 5.0}, true},
		{"bool", `{"b":[true]}`, map[string]any{"b": true}, true},
		{"null", `{"b":[null]}`, map[string]any{"b": nil}, true},
		{"array field any element", `{"tags":["x"]}`, map[string]any{"tags": []string{"a", "x"}}, true},
		{"array field no element", `{"tags":["y"]}`, map[string]any{"tags": []string{"a", "x"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ParseFilter(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Filters{f}.Match(c.event)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseFilterRejects(t *testing.T) {
	for name, p := range map[string]string{
		"not json":         `{`,
		"scalar value":     `{"a":"x"}`,
		"unknown operator": `{"a":[{"wildcard":"x*"}]}`,
		"two operators":    `{"a":[{"prefix":"x","suffix":"y"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseFilter(p); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
