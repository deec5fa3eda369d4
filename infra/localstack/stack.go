package localstack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/shared/domain"
)

// Config is everything `make run` can set; every port and the state dir
// are flags so a test can run its own stack beside a developer's.
type Config struct {
	Root     string // module root: template.yaml, functions/, .local/node_modules
	StateDir string // default Root/.local
	BinDir   string // default StateDir/bin

	Host         string // default 127.0.0.1
	APIPort      int    // 3000
	SitePort     int    // 3001
	S3Port       int    // 4569
	DynamoPort   int    // 8000
	EmulatorPort int    // 9100: function i uses 9100+2i and 9100+2i+1

	Region       string        // us-east-1
	Now          string        // -now: "", YYYY-MM-DD or RFC3339
	InMemory     bool          // DynamoDB Local without a file (tests)
	PollInterval time.Duration // stream poll, 200ms

	Out     io.Writer    // banner and the children's output
	Log     *slog.Logger // the stack's own messages
	Verbose bool         // also show the emulators' own chatter
}

func (c *Config) defaults() error {
	if c.Root == "" {
		root, err := cfn.FindRoot()
		if err != nil {
			return err
		}
		c.Root = root
	}
	var err error
	if c.Root, err = filepath.Abs(c.Root); err != nil {
		return err
	}
	if c.StateDir == "" {
		c.StateDir = filepath.Join(c.Root, ".local")
	}
	if c.StateDir, err = filepath.Abs(c.StateDir); err != nil {
		return err
	}
	if c.BinDir == "" {
		c.BinDir = filepath.Join(c.StateDir, "bin")
	}
	if c.Host == "" {
		c.Host = "127.0.0.1"
	}
	for _, p := range []struct {
		v   *int
		def int
	}{{&c.APIPort, 3000}, {&c.SitePort, 3001}, {&c.S3Port, 4569}, {&c.DynamoPort, 8000}, {&c.EmulatorPort, 9100}} {
		if *p.v == 0 {
			*p.v = p.def
		}
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 200 * time.Millisecond
	}
	if c.Out == nil {
		c.Out = os.Stdout
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return nil
}

// Folders under the state dir.
func (c *Config) dir(name string) string { return filepath.Join(c.StateDir, name) }

// running is one function under its emulator.
type running struct {
	fn    cfn.Function
	addr  string
	child *Child
}

// Run starts the whole local system and blocks until ctx ends (Ctrl-C),
// then stops every child process. It returns an error when something
// could not start, or when a child died on its own; a stop asked for by
// ending ctx (Ctrl-C), even in the middle of starting, is not an error.
func Run(ctx context.Context, cfg Config) error {
	return StoppedOnRequest(ctx, run(ctx, cfg))
}

// StoppedOnRequest drops err when it only says that ctx ended: a stack
// interrupted while it builds or waits is a stack stopped as asked, so
// `make run` exits 0 after Ctrl-C. Any other error is kept.
func StoppedOnRequest(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func run(ctx context.Context, cfg Config) error {
	started := time.Now()
	if err := cfg.defaults(); err != nil {
		return err
	}
	log := cfg.Log
	for _, d := range []string{"keys", "run", "dlq", "streams", "s3"} {
		if err := os.MkdirAll(cfg.dir(d), 0o755); err != nil {
			return err
		}
	}
	release, err := LockRunDir(cfg.dir("run"))
	if err != nil {
		return err
	}
	defer release()
	if killed, _ := KillStale(cfg.dir("run"), stackPidfile); len(killed) > 0 {
		log.Warn("ended processes left by a previous run", "processes", strings.Join(killed, ", "))
	}

	tpl, err := cfn.Load(filepath.Join(cfg.Root, "template.yaml"))
	if err != nil {
		return err
	}
	tableID, err := tpl.TableLogicalID()
	if err != nil {
		return err
	}
	keys, err := LoadKeys(cfg.dir("keys"))
	if err != nil {
		return err
	}
	offset, err := ClockOffset(cfg.Now, time.Now())
	if err != nil {
		return err
	}

	// Which functions can run: their folder must exist (others may still
	// be writing them).
	var present []cfn.Function
	var skipped []string
	for _, f := range tpl.Functions() {
		if hasGoFiles(filepath.Join(cfg.Root, f.Dir())) {
			present = append(present, f)
		} else {
			skipped = append(skipped, fmt.Sprintf("%s (no %s yet)", f.LogicalID, f.Dir()))
			log.Warn("function skipped: its folder does not exist yet", "function", f.LogicalID, "folder", f.Dir())
		}
	}

	addrs := map[string]string{
		"-api-port": hostPort(cfg.Host, cfg.APIPort), "-site-port": hostPort(cfg.Host, cfg.SitePort),
		"-s3-port": hostPort(cfg.Host, cfg.S3Port), "-dynamodb-port": hostPort(cfg.Host, cfg.DynamoPort),
	}
	for i := range present {
		addrs[fmt.Sprintf("-emulator-port (%s)", present[i].LogicalID)] = hostPort(cfg.Host, cfg.EmulatorPort+2*i)
		addrs[fmt.Sprintf("-emulator-port (%s runtime API)", present[i].LogicalID)] = hostPort(cfg.Host, cfg.EmulatorPort+2*i+1)
	}
	for flag, a := range addrs {
		if err := portFree(a); err != nil {
			return fmt.Errorf("%s is in use (%v): is another stack running? choose another port with %s", a, err, strings.Fields(flag)[0])
		}
	}

	// Everything started from here is stopped on the way out.
	var children []*Child
	var childMu sync.Mutex
	addChild := func(c *Child) {
		childMu.Lock()
		children = append(children, c)
		childMu.Unlock()
	}
	defer func() {
		childMu.Lock()
		defer childMu.Unlock()
		// Emulators first, the database last.
		for i := len(children) - 1; i >= 0; i-- {
			children[i].Stop(3 * time.Second)
		}
	}()

	// The JVM takes a few seconds to listen: build meanwhile.
	libDir, err := FindDynamoDBLocal(cfg.Root)
	if err != nil {
		return err
	}
	dbPath := cfg.dir("dynamodb")
	if cfg.InMemory {
		dbPath = ""
	}
	dynamoAddr := addrs["-dynamodb-port"]
	ddb, err := StartDynamoDBLocal(libDir, dynamoAddr, dbPath, cfg.dir("run"), cfg.Out)
	if err != nil {
		return err
	}
	addChild(ddb)

	rieBin, err := EnsureRIE(ctx, cfg.Root, cfg.BinDir)
	if err != nil {
		return fmt.Errorf("build the Lambda Runtime Interface Emulator: %w", err)
	}
	names := make([]string, 0, len(present))
	for _, f := range present {
		names = append(names, f.Name)
	}
	buildStart := time.Now()
	built, failed := BuildFunctions(ctx, cfg.Root, cfg.BinDir, names)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	log.Info("functions built", "count", len(built), "seconds", time.Since(buildStart).Round(100*time.Millisecond).Seconds())
	var runnable []cfn.Function
	var stale []string
	for _, f := range present {
		if err := failed[f.Name]; err != nil {
			// go build leaves the last good bootstrap in place: run it
			// rather than nothing while someone fixes the build.
			old := filepath.Join(cfg.BinDir, f.Name, "bootstrap")
			if _, serr := os.Stat(old); serr == nil {
				log.Error("function does not build: running its previous bootstrap", "function", f.LogicalID, "err", err.Error())
				built[f.Name] = old
				stale = append(stale, f.LogicalID)
				runnable = append(runnable, f)
				continue
			}
			skipped = append(skipped, fmt.Sprintf("%s (does not build)", f.LogicalID))
			log.Error("function skipped: it does not build", "function", f.LogicalID, "err", err.Error())
			continue
		}
		runnable = append(runnable, f)
	}

	// S3 and the public site.
	var buckets []string
	for _, id := range tpl.ResourcesOfType("AWS::S3::Bucket") {
		buckets = append(buckets, LocalBucketName(id))
	}
	s3, err := OpenS3(filepath.Join(cfg.dir("s3"), "s3.bolt"), buckets)
	if err != nil {
		return err
	}
	defer s3.Close()

	if err := WaitPort(ctx, dynamoAddr, 60*time.Second, ddb); err != nil {
		return fmt.Errorf("DynamoDB Local: %w", err)
	}
	db, streams := DynamoClients("http://"+dynamoAddr, cfg.Region)
	in, err := tpl.TableInput(tableID, LocalTableName)
	if err != nil {
		return err
	}
	created, err := EnsureTable(ctx, db, in)
	if err != nil {
		return err
	}

	dep := Deployment{
		Region:         cfg.Region,
		DynamoEndpoint: "http://" + dynamoAddr,
		S3Endpoint:     "http://" + addrs["-s3-port"],
		PublicBaseURL:  "http://" + addrs["-site-port"],
		Keys:           keys,
		ClockOffset:    offset,
	}
	resolver, err := dep.Resolver(tpl)
	if err != nil {
		return err
	}

	// One emulator per function.
	invoker := &RIEInvoker{}
	var fns []running
	for i, f := range runnable {
		env, warns := dep.FunctionEnv(f, resolver)
		for _, w := range warns {
			log.Warn(w)
		}
		addr := hostPort(cfg.Host, cfg.EmulatorPort+2*i)
		api := hostPort(cfg.Host, cfg.EmulatorPort+2*i+1)
		cmd := exec.Command(rieBin, "--runtime-interface-emulator-address", addr, "--runtime-api-address", api, built[f.Name])
		cmd.Env = envList(env)
		cmd.Dir = filepath.Dir(built[f.Name])
		out := cfg.Out
		if !cfg.Verbose {
			out = dropLines{w: cfg.Out, contains: "(rapid)"}
		}
		child, err := StartChild(f.LogicalID, cmd, cfg.dir("run"), out)
		if err != nil {
			return err
		}
		addChild(child)
		fns = append(fns, running{fn: f, addr: addr, child: child})
	}
	for _, r := range fns {
		if err := WaitPort(ctx, r.addr, 15*time.Second, r.child); err != nil {
			return fmt.Errorf("emulator of %s: %w", r.fn.LogicalID, err)
		}
		invoker.SetEndpoint(r.fn.LogicalID, r.addr)
	}

	// The HTTP front over the template's routes.
	var routes []Route
	for _, r := range tpl.HttpRoutes() {
		routes = append(routes, Route{Method: r.Method, Path: r.Path, Function: r.Function, Auth: r.Auth})
	}
	router, err := NewRouter(routes)
	if err != nil {
		return err
	}
	var ready atomic.Bool
	localClock := func() time.Time { return time.Now().Add(time.Duration(offset) * time.Second) }
	front := &Front{
		LocalClock: localClock,
		Router:     router,
		Auth:       Authorizer{Key: &keys.Signing.PublicKey, Issuer: LocalIssuer, Audience: LocalAudience},
		Invoker:    invoker,
		OnDemand:   invoker.Has,
		Running:    invoker.Names,
		Log:        log,
		Ready:      ready.Load,
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	serve := func(name, addr string, h http.Handler) error {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s on %s: %w", name, addr, err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
		go func() {
			<-runCtx.Done()
			sctx, c := context.WithTimeout(context.Background(), 2*time.Second)
			defer c()
			_ = srv.Shutdown(sctx)
		}()
		return nil
	}
	if err := serve("S3 server", addrs["-s3-port"], s3.Handler()); err != nil {
		return err
	}
	if err := serve("public site", addrs["-site-port"], Site{Backend: s3.Backend, Bucket: LocalBucketName("DisclosureBucket")}); err != nil {
		return err
	}
	if err := serve("API", addrs["-api-port"], front); err != nil {
		return err
	}

	// Stream pollers and schedules of the running functions.
	var jobs []ScheduleJob
	var pollers []string
	for _, r := range fns {
		for _, ev := range r.fn.Streams {
			if !ev.Enabled || ev.Table != tableID {
				continue
			}
			var filters Filters
			for _, p := range ev.FilterPatterns {
				f, err := ParseFilter(p)
				if err != nil {
					return fmt.Errorf("%s %s: %w", r.fn.LogicalID, ev.Name, err)
				}
				filters = append(filters, f)
			}
			p := &Poller{
				Source: &DynamoStream{DB: db, Streams: streams, Table: LocalTableName},
				Mapping: StreamMapping{
					Function: r.fn.LogicalID, BatchSize: ev.BatchSize, MaxRetries: ev.MaximumRetryAttempts,
					MaxRecordAge: time.Duration(ev.MaximumRecordAgeInSeconds) * time.Second, // -1 stays unbounded
					Bisect:       ev.BisectBatchOnFunctionError, ReportItemFailures: ev.ReportsBatchItemFailures(), Filters: filters,
				},
				Invoker:       invoker,
				Region:        cfg.Region,
				DLQDir:        cfg.dir("dlq"),
				StateFile:     filepath.Join(cfg.dir("streams"), r.fn.LogicalID+"-"+ev.Name+".json"),
				Log:           log,
				DescribeEvery: 5 * time.Second,
				// Now stays nil: record ages are measured against the
				// real clock DynamoDB Local stamps them with, not -now.
			}
			pollers = append(pollers, r.fn.LogicalID+"/"+ev.Name)
			wg.Add(1)
			go func() { defer wg.Done(); p.Run(runCtx, cfg.PollInterval) }()
		}
		for _, ev := range r.fn.Schedules {
			if !strings.EqualFold(ev.State, "ENABLED") {
				continue
			}
			s, err := ParseSchedule(ev.ScheduleExpression, ev.ScheduleExpressionTimezone)
			if err != nil {
				return fmt.Errorf("%s %s: %w", r.fn.LogicalID, ev.Name, err)
			}
			jobs = append(jobs, ScheduleJob{Function: r.fn.LogicalID, Name: ev.Name, Schedule: s, Input: []byte(ev.Input)})
		}
	}
	sched := &Scheduler{Jobs: jobs, Invoker: invoker, Clock: localClock, DLQDir: cfg.dir("dlq"), Log: log}
	wg.Add(1)
	go func() { defer wg.Done(); sched.Run(runCtx) }()

	ready.Store(true)
	printBanner(cfg, bannerInfo{
		elapsed: time.Since(started), routes: len(routes), buckets: buckets, created: created,
		fns: fns, skipped: skipped, stale: stale, pollers: pollers, sched: sched, offset: offset, localNow: localClock(),
	})

	// Run until Ctrl-C, or until a child dies on its own.
	childDied := make(chan error, 1)
	childMu.Lock()
	for _, c := range children {
		go func() {
			select {
			case <-c.Done():
				childDied <- fmt.Errorf("%s exited unexpectedly: %v", c.Name, c.Err())
			case <-runCtx.Done():
			}
		}()
	}
	childMu.Unlock()
	var runErr error
	select {
	case <-ctx.Done():
		log.Info("stopping the local stack")
	case runErr = <-childDied:
	case runErr = <-errs:
	}
	cancel()
	wg.Wait()
	return runErr
}

func hasGoFiles(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			return true
		}
	}
	return false
}

type bannerInfo struct {
	elapsed  time.Duration
	routes   int
	buckets  []string
	created  bool
	fns      []running
	skipped  []string
	stale    []string
	pollers  []string
	sched    *Scheduler
	offset   int64
	localNow time.Time
}

func printBanner(cfg Config, b bannerInfo) {
	w := cfg.Out
	rel := func(p string) string {
		if r, err := filepath.Rel(cfg.Root, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return p
	}
	api := "http://" + hostPort(cfg.Host, cfg.APIPort)
	fmt.Fprintf(w, "\n本地环境已就绪 Local stack ready in %.1f s\n", b.elapsed.Seconds())
	fmt.Fprintf(w, "  API (HTTP API, JWT)   %s   %d routes from template.yaml\n", api, b.routes)
	fmt.Fprintf(w, "  Public site           http://%s/   (bucket %s)\n", hostPort(cfg.Host, cfg.SitePort), LocalBucketName("DisclosureBucket"))
	fmt.Fprintf(w, "  S3 endpoint           http://%s   buckets: %s (path-style)\n", hostPort(cfg.Host, cfg.S3Port), strings.Join(b.buckets, ", "))
	store := rel(cfg.dir("dynamodb"))
	if cfg.InMemory {
		store = "in memory"
	}
	state := "existing"
	if b.created {
		state = "created"
	}
	fmt.Fprintf(w, "  DynamoDB Local        http://%s   table %s (%s; data: %s)\n", hostPort(cfg.Host, cfg.DynamoPort), LocalTableName, state, store)
	for _, r := range b.fns {
		fmt.Fprintf(w, "  Function              %-20s emulator %s\n", r.fn.LogicalID, r.addr)
	}
	for _, s := range b.stale {
		fmt.Fprintf(w, "  Previous build        %s does not build now; its last good bootstrap runs\n", s)
	}
	for _, s := range b.skipped {
		fmt.Fprintf(w, "  Not running           %s\n", s)
	}
	if len(b.pollers) > 0 {
		fmt.Fprintf(w, "  Stream consumers      %s (every %s)\n", strings.Join(b.pollers, ", "), cfg.PollInterval)
	}
	next := b.sched.NextFirings()
	keys := make([]string, 0, len(next))
	for k := range next {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  Schedule              %s next at %s (local clock)\n", k, next[k].In(domain.Shanghai).Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintf(w, "  Token                 make token UNIT=411422-PCS-01 ROLE=clerk   (go run ./infra/cmd/token -state-dir %s -unit U -role clerk|office|auditor)\n", rel(cfg.StateDir))
	fmt.Fprintf(w, "  Run a function now    curl -X POST %s/_local/invoke/<LogicalId> [-d '{...}']   (make expire)\n", api)
	fmt.Fprintf(w, "  Failed batches (DLQ)  %s/<LogicalId>/\n", rel(cfg.dir("dlq")))
	clock := "real clock"
	if b.offset != 0 {
		clock = fmt.Sprintf("shifted by %+d s (-now %s)", b.offset, cfg.Now)
	}
	fmt.Fprintf(w, "  Clock                 %s Asia/Shanghai, today is %s — %s\n", b.localNow.In(domain.Shanghai).Format("2006-01-02 15:04:05"), domain.DateIn(b.localNow), clock)
	fmt.Fprintf(w, "Ctrl-C stops everything.\n\n")
}

// dropLines leaves out lines containing a marker (the emulator's "(rapid)"
// bookkeeping); the prefix writer hands it one whole line per Write.
type dropLines struct {
	w        io.Writer
	contains string
}

func (d dropLines) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(d.contains)) {
		return len(p), nil
	}
	return d.w.Write(p)
}
