package cfn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestTableInputFromDefaultTemplate(t *testing.T) {
	tpl, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	id, err := tpl.TableLogicalID()
	if err != nil {
		t.Fatal(err)
	}
	in, err := tpl.TableInput(id, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if *in.TableName != "t1" || in.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("name %q billing %q", *in.TableName, in.BillingMode)
	}
	keys := map[string]types.KeyType{}
	for _, k := range in.KeySchema {
		keys[*k.AttributeName] = k.KeyType
	}
	if keys["PK"] != types.KeyTypeHash || keys["SK"] != types.KeyTypeRange {
		t.Errorf("key schema %v", keys)
	}
	if in.StreamSpecification == nil || in.StreamSpecification.StreamViewType != types.StreamViewTypeNewAndOldImages || !*in.StreamSpecification.StreamEnabled {
		t.Errorf("stream %+v", in.StreamSpecification)
	}
	// Every key attribute of the table and its indexes must be defined, and
	// nothing else (CreateTable refuses unused definitions).
	defined := map[string]bool{}
	for _, d := range in.AttributeDefinitions {
		defined[*d.AttributeName] = true
	}
	used := map[string]bool{"PK": true, "SK": true}
	projections := map[string]types.ProjectionType{}
	for _, g := range in.GlobalSecondaryIndexes {
		projections[*g.IndexName] = g.Projection.ProjectionType
		for _, k := range g.KeySchema {
			used[*k.AttributeName] = true
		}
	}
	for a := range used {
		if !defined[a] {
			t.Errorf("key attribute %s not defined", a)
		}
	}
	if len(defined) != len(used) {
		t.Errorf("defined %v, used %v", defined, used)
	}
	want := map[string]types.ProjectionType{"DueIndex": types.ProjectionTypeKeysOnly, "ListIndex": types.ProjectionTypeAll}
	for name, p := range want {
		if projections[name] != p {
			t.Errorf("index %s projection %q, want %q", name, projections[name], p)
		}
	}
}

func TestTableInputErrors(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{
			name:    "no table",
			yaml:    "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
			wantErr: "want exactly one",
		},
		{
			name: "unknown billing mode",
			yaml: `Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUST
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`,
			wantErr: "unknown BillingMode",
		},
		{
			name: "index without projection",
			yaml: `Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - IndexName: I
          KeySchema: [{AttributeName: PK, KeyType: HASH}]
`,
			wantErr: "Projection missing",
		},
		{
			name: "intrinsic attribute name",
			yaml: `Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: !Ref X, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`,
			wantErr: "AttributeName must be a literal string",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			tpl, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			id, err := tpl.TableLogicalID()
			if err == nil {
				_, err = tpl.TableInput(id, "x")
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
