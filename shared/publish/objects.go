package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Objects is the part of the S3 API the publisher uses (*s3.Client has it).
type Objects interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// HashMetadata is the user-metadata key holding the sha256 of an object's
// body (sent as x-amz-meta-content-sha256).
const HashMetadata = "content-sha256"

// Content types of the site's objects.
const (
	typeHTML = "text/html; charset=utf-8"
	typeJSON = "application/json; charset=utf-8"
	typeCSV  = "text/csv; charset=utf-8"
)

// cacheControl keeps caches short so a subject leaving C disappears from
// what people see within a minute even behind a CDN.
const cacheControl = "public, max-age=60"

// ContentHash is the hex sha256 of a body, as stored in HashMetadata.
func ContentHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// put writes body under key unless the stored object already has the same
// content hash; wrote reports whether it wrote.
func (s *Service) put(ctx context.Context, key string, body []byte, contentType string) (wrote bool, err error) {
	sum := ContentHash(body)
	head, err := s.Objects.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
	switch {
	case err == nil:
		if head.Metadata[HashMetadata] == sum {
			return false, nil
		}
	case !isNotFound(err):
		return false, fmt.Errorf("head %s: %w", key, err)
	}
	_, err = s.Objects.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.Bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(contentType),
		CacheControl:  aws.String(cacheControl),
		Metadata:      map[string]string{HashMetadata: sum},
	})
	if err != nil {
		return false, fmt.Errorf("put %s: %w", key, err)
	}
	return true, nil
}

// remove deletes key if it exists; deleted reports whether it did.
func (s *Service) remove(ctx context.Context, key string) (deleted bool, err error) {
	_, err = s.Objects.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("head %s: %w", key, err)
	}
	if _, err := s.Objects.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)}); err != nil {
		return false, fmt.Errorf("delete %s: %w", key, err)
	}
	return true, nil
}

// listKeys lists every key under prefix.
func (s *Service) listKeys(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	var token *string
	for {
		out, err := s.Objects.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix), ContinuationToken: token})
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", prefix, err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		if !aws.ToBool(out.IsTruncated) || out.NextContinuationToken == nil {
			return keys, nil
		}
		token = out.NextContinuationToken
	}
}

// isNotFound recognises a missing object: HeadObject has no body, so S3
// answers a bare 404 (types.NotFound), and some servers NoSuchKey.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	var nf *types.NotFound
	var nsk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nsk) {
		return true
	}
	var re *smithyhttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
