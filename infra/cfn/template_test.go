package cfn

import "testing"

func TestLoadDefaultHasTable(t *testing.T) {
	tpl, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	tables := tpl.ResourcesOfType("AWS::DynamoDB::Table")
	if len(tables) != 1 {
		t.Fatalf("want exactly one table (single-table design), got %v", tables)
	}
}
