package localstack

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	bolt "go.etcd.io/bbolt"
)

// S3 is the local S3-protocol server: gofakes3 on a bolt file, so objects
// survive a restart.
type S3 struct {
	Backend gofakes3.Backend
	db      *bolt.DB
}

// OpenS3 opens (or creates) the bolt file and makes sure the buckets exist.
// The file lock has a timeout so a second stack on the same state dir
// fails clearly instead of hanging.
func OpenS3(file string, buckets []string) (*S3, error) {
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open S3 store %s (is another local stack using this state dir?): %w", file, err)
	}
	s := &S3{Backend: s3bolt.New(db), db: db}
	for _, b := range buckets {
		if err := s.ensureBucket(b); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// NewMemS3 wraps any backend (tests use s3mem).
func NewMemS3(b gofakes3.Backend, buckets []string) (*S3, error) {
	s := &S3{Backend: b}
	for _, name := range buckets {
		if err := s.ensureBucket(name); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *S3) ensureBucket(name string) error {
	ok, err := s.Backend.BucketExists(name)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", name, err)
	}
	if ok {
		return nil
	}
	if err := s.Backend.CreateBucket(name); err != nil && !gofakes3.IsAlreadyExists(err) {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	return nil
}

// Handler is the S3 API (path-style).
func (s *S3) Handler() http.Handler { return gofakes3.New(s.Backend).Server() }

// Close releases the bolt file.
func (s *S3) Close() error {
	if s.db == nil {
		return nil
	}
	return s.db.Close()
}

// Site serves one bucket to a browser the way the public distribution
// does: "/" and directory paths serve index.html, content types come from
// the object (else the file extension), missing pages get a 404 page.
type Site struct {
	Backend gofakes3.Backend
	Bucket  string
}

func (s Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if key == "" || strings.HasSuffix(r.URL.Path, "/") {
		key = path.Join(key, "index.html")
	}
	obj, err := s.get(key)
	if isNoSuchKey(err) && path.Ext(key) == "" {
		// A directory URL without the slash.
		key += "/index.html"
		obj, err = s.get(key)
	}
	if isNoSuchKey(err) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "S3: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer obj.Contents.Close()
	w.Header().Set("Content-Type", contentType(obj, key))
	w.Header().Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.Copy(w, obj.Contents)
}

func (s Site) get(key string) (*gofakes3.Object, error) {
	return s.Backend.GetObject(s.Bucket, key, nil)
}

func isNoSuchKey(err error) bool {
	return err != nil && (gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) || errors.Is(err, gofakes3.ErrNoSuchKey))
}

func (s Site) notFound(w http.ResponseWriter, r *http.Request) {
	if obj, err := s.get("404.html"); err == nil {
		defer obj.Contents.Close()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.Copy(w, obj.Contents)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面不存在 Not found</title>
<h1>页面不存在</h1><p>Not found: %s</p><p><a href="/">返回首页 Home</a></p></html>`, htmlEscape(r.URL.Path))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func contentType(obj *gofakes3.Object, key string) string {
	for k, v := range obj.Metadata {
		if strings.EqualFold(k, "Content-Type") && v != "" && v != "binary/octet-stream" {
			return v
		}
	}
	switch path.Ext(key) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	case ".csv":
		return "text/csv; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(key)); t != "" {
		return t
	}
	return "application/octet-stream"
}
