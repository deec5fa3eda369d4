package publish

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ObjectGetter reads objects (*s3.Client has it).
type ObjectGetter interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// SiteHandler serves the disclosure bucket over HTTP as a static website
// would ("/" is index.html), for the local stack's public URL and for
// browser tests. It is read-only and serves only GET and HEAD.
func SiteHandler(objects ObjectGetter, bucket string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := strings.TrimPrefix(r.URL.Path, "/")
		if key == "" || strings.HasSuffix(key, "/") {
			key += KeyIndex
		}
		if strings.Contains(key, "..") {
			http.NotFound(w, r)
			return
		}
		out, err := objects.GetObject(r.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			if isNotFound(err) {
				http.Error(w, "404 页面不存在（该主体可能已不在公示范围内） / not found", http.StatusNotFound)
				return
			}
			http.Error(w, "bucket unavailable", http.StatusBadGateway)
			return
		}
		defer out.Body.Close()
		if ct := aws.ToString(out.ContentType); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if cc := aws.ToString(out.CacheControl); cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// The pages use only inline style and script; nothing else may load.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = io.Copy(w, out.Body)
	})
}
