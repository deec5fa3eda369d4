package cfn

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const tableType = "AWS::DynamoDB::Table"

// TableLogicalID returns the logical id of the template's single DynamoDB
// table (single-table design); more or fewer than one is an error.
func (t *Template) TableLogicalID() (string, error) {
	ids := t.ResourcesOfType(tableType)
	if len(ids) != 1 {
		return "", fmt.Errorf("%s: want exactly one %s, found %v", t.Path, tableType, ids)
	}
	return ids[0], nil
}

// TableInput builds the CreateTable request for the table resource
// logicalID, named tableName: attribute definitions, key schema, secondary
// indexes with their projections, the stream and the billing mode, all read
// from the template. Encryption, point-in-time recovery and deletion
// protection are left out: DynamoDB Local ignores them, and the cloud gets
// them from CloudFormation, not from this request.
func (t *Template) TableInput(logicalID, tableName string) (*dynamodb.CreateTableInput, error) {
	r, ok := t.Resources[logicalID]
	if !ok || r.Type != tableType {
		return nil, fmt.Errorf("%s: no %s named %s", t.Path, tableType, logicalID)
	}
	p := r.Properties
	in := &dynamodb.CreateTableInput{TableName: aws.String(tableName)}
	var err error
	if in.AttributeDefinitions, err = attributeDefinitions(p["AttributeDefinitions"]); err != nil {
		return nil, fmt.Errorf("%s AttributeDefinitions: %w", logicalID, err)
	}
	if in.KeySchema, err = keySchema(p["KeySchema"]); err != nil {
		return nil, fmt.Errorf("%s KeySchema: %w", logicalID, err)
	}
	if err := billing(p, in); err != nil {
		return nil, fmt.Errorf("%s: %w", logicalID, err)
	}
	if in.GlobalSecondaryIndexes, err = globalIndexes(p["GlobalSecondaryIndexes"], in.BillingMode); err != nil {
		return nil, fmt.Errorf("%s GlobalSecondaryIndexes: %w", logicalID, err)
	}
	if in.LocalSecondaryIndexes, err = localIndexes(p["LocalSecondaryIndexes"]); err != nil {
		return nil, fmt.Errorf("%s LocalSecondaryIndexes: %w", logicalID, err)
	}
	if s, ok := p["StreamSpecification"]; ok {
		m, ok := s.(map[string]any)
		view, _ := m["StreamViewType"].(string)
		if !ok || view == "" {
			return nil, fmt.Errorf("%s StreamSpecification: StreamViewType missing", logicalID)
		}
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewType(view)}
	}
	return in, nil
}

func billing(p map[string]any, in *dynamodb.CreateTableInput) error {
	mode, _ := p["BillingMode"].(string)
	switch mode {
	case "", string(types.BillingModeProvisioned):
		pt, err := throughput(p["ProvisionedThroughput"])
		if err != nil {
			return fmt.Errorf("ProvisionedThroughput: %w", err)
		}
		in.BillingMode = types.BillingModeProvisioned
		in.ProvisionedThroughput = pt
	case string(types.BillingModePayPerRequest):
		in.BillingMode = types.BillingModePayPerRequest
	default:
		return fmt.Errorf("unknown BillingMode %q", mode)
	}
	return nil
}

func throughput(v any) (*types.ProvisionedThroughput, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("required for provisioned billing")
	}
	r, rok := m["ReadCapacityUnits"].(int)
	w, wok := m["WriteCapacityUnits"].(int)
	if !rok || !wok {
		return nil, fmt.Errorf("ReadCapacityUnits and WriteCapacityUnits must be integers")
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(int64(r)), WriteCapacityUnits: aws.Int64(int64(w))}, nil
}

func attributeDefinitions(v any) ([]types.AttributeDefinition, error) {
	list, err := maps(v)
	if err != nil {
		return nil, err
	}
	var out []types.AttributeDefinition
	for i, m := range list {
		name, err := str(m, "AttributeName")
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		typ, err := str(m, "AttributeType")
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeType(typ)})
	}
	return out, nil
}

func keySchema(v any) ([]types.KeySchemaElement, error) {
	list, err := maps(v)
	if err != nil {
		return nil, err
	}
	var out []types.KeySchemaElement
	for i, m := range list {
		name, err := str(m, "AttributeName")
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		typ, err := str(m, "KeyType")
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(name), KeyType: types.KeyType(typ)})
	}
	return out, nil
}

func projection(v any) (*types.Projection, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Projection missing")
	}
	typ, err := str(m, "ProjectionType")
	if err != nil {
		return nil, err
	}
	p := &types.Projection{ProjectionType: types.ProjectionType(typ)}
	if raw, ok := m["NonKeyAttributes"]; ok {
		list, _ := raw.([]any)
		for _, a := range list {
			s, ok := a.(string)
			if !ok {
				return nil, fmt.Errorf("NonKeyAttributes: %v is not a string", a)
			}
			p.NonKeyAttributes = append(p.NonKeyAttributes, s)
		}
	}
	return p, nil
}

// index reads what global and local secondary indexes share.
func index(m map[string]any) (string, []types.KeySchemaElement, *types.Projection, error) {
	name, err := str(m, "IndexName")
	if err != nil {
		return "", nil, nil, err
	}
	ks, err := keySchema(m["KeySchema"])
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s KeySchema: %w", name, err)
	}
	proj, err := projection(m["Projection"])
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return name, ks, proj, nil
}

func globalIndexes(v any, mode types.BillingMode) ([]types.GlobalSecondaryIndex, error) {
	if v == nil {
		return nil, nil
	}
	list, err := maps(v)
	if err != nil {
		return nil, err
	}
	var out []types.GlobalSecondaryIndex
	for _, m := range list {
		name, ks, proj, err := index(m)
		if err != nil {
			return nil, err
		}
		gsi := types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: ks, Projection: proj}
		if mode == types.BillingModeProvisioned {
			if gsi.ProvisionedThroughput, err = throughput(m["ProvisionedThroughput"]); err != nil {
				return nil, fmt.Errorf("%s ProvisionedThroughput: %w", name, err)
			}
		}
		out = append(out, gsi)
	}
	return out, nil
}

func localIndexes(v any) ([]types.LocalSecondaryIndex, error) {
	if v == nil {
		return nil, nil
	}
	list, err := maps(v)
	if err != nil {
		return nil, err
	}
	var out []types.LocalSecondaryIndex
	for _, m := range list {
		name, ks, proj, err := index(m)
		if err != nil {
			return nil, err
		}
		out = append(out, types.LocalSecondaryIndex{IndexName: aws.String(name), KeySchema: ks, Projection: proj})
	}
	return out, nil
}

func maps(v any) ([]map[string]any, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("want a non-empty list, got %T", v)
	}
	out := make([]map[string]any, 0, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("[%d]: want a mapping, got %T", i, e)
		}
		out = append(out, m)
	}
	return out, nil
}

func str(m map[string]any, key string) (string, error) {
	s, ok := m[key].(string)
	if !ok || s == "" {
		return "", fmt.Errorf("%s must be a literal string, got %v", key, m[key])
	}
	return s, nil
}
