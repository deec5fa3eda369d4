package feed

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Objects is the part of the S3 client the feed uses.
type Objects interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

const (
	contentJSON  = "application/json; charset=utf-8"
	contentJSONL = "application/jsonl; charset=utf-8"
)

// Encode is the event's bytes: deterministic (struct field order, the
// penalty layout's own order, map keys sorted) and newline-free, so a line
// of the daily file is exactly an event object.
func Encode(e Event) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// put writes body under key unless the object already holds exactly those
// bytes (its ETag is their MD5 for a single-part upload), so a retried
// event adds no version to the versioned bucket. Any failure of the check
// (missing object, or 403 where S3 hides a missing key from a role without
// a bucket-wide ListBucket) just means writing: the write is idempotent, the
// check only saves a version. It reports whether it wrote.
func put(ctx context.Context, objs Objects, bucket, key string, body []byte, contentType string) (bool, error) {
	sum := md5.Sum(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	head, err := objs.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil && strings.EqualFold(aws.ToString(head.ETag), etag) {
		return false, nil
	}
	_, err = objs.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
		ContentType: aws.String(contentType), ContentLength: aws.Int64(int64(len(body))),
	})
	if err != nil {
		return false, fmt.Errorf("put %s: %w", key, err)
	}
	return true, nil
}

// Write stores one event object; it reports whether it wrote.
func Write(ctx context.Context, objs Objects, bucket string, e Event) (bool, error) {
	body, err := Encode(e)
	if err != nil {
		return false, err
	}
	return put(ctx, objs, bucket, e.Key(), body, contentJSON)
}

// DailyKey is the consolidated JSON Lines file of a day (YYYY-MM-DD).
func DailyKey(day string) string { return Prefix + day + ".jsonl" }

// Consolidate rebuilds the day's JSON Lines file from the day's event
// objects, in key order: one line per object, the object's bytes as they
// are. It returns the number of lines.
func Consolidate(ctx context.Context, objs Objects, bucket, day string) (int, error) {
	prefix := Prefix + day + "/"
	var keys []string
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
	for {
		out, err := objs.ListObjectsV2(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("list %s: %w", prefix, err)
		}
		for _, o := range out.Contents {
			if k := aws.ToString(o.Key); strings.HasSuffix(k, ".json") {
				keys = append(keys, k)
			}
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextContinuationToken) == "" {
			break
		}
		in.ContinuationToken = out.NextContinuationToken
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		out, err := objs.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			return 0, fmt.Errorf("get %s: %w", k, err)
		}
		body, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", k, err)
		}
		b.Write(bytes.TrimRight(body, "\n"))
		b.WriteByte('\n')
	}
	if _, err := put(ctx, objs, bucket, DailyKey(day), b.Bytes(), contentJSONL); err != nil {
		return 0, err
	}
	return len(keys), nil
}
