package io.ordersvc.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.stack.FreshTokens;
import io.ordersvc.stack.RealmUsers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A mixed load at a fixed rate, and the ledger of what it was told. Several clients, each owning its
 * customers, products and orders (so that no two clients race for one order and a 409 or 412 means
 * something went wrong), send commands of every kind: register a customer, add a product, reprice
 * one, place an order, change its address, confirm, ship, cancel. The schedule is open-loop: a slow
 * or hanging service does not lower the rate offered. Each command carries an {@code Idempotency-Key}
 * and, on an existing aggregate, {@code If-Match}; on no answer or a 502/503/504 it is sent again with
 * the same key, as the web UI does, up to {@link #ATTEMPTS} times. Every attempt is recorded; a 2xx
 * answer with an id and a version is an acknowledgement, which the convergence check later holds
 * the views to. A reader follows along, half of its reads with {@code X-Min-Version} (read-your-writes).
 *
 * <p>Each command is sent by the caller the access rules expect, a person of the stack's realm with
 * a token from its identity provider (renewed in the background, {@link FreshTokens}): a customer
 * registers itself (its id is its token's subject), places, readdresses and cancels its own orders;
 * staff (one person per client, so that a retry is the same caller's and its idempotency key holds)
 * add and reprice products, confirm, ship and cancel. An order is read by whoever last changed it,
 * its customer or staff. Every customer, those registered under load too, is made in the realm
 * before the load starts ({@link #setUp}): a client that has used up its people registers no more.
 */
final class MixedLoad {

    static final int ATTEMPTS = 3;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_IN_FLIGHT = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { REGISTER_CUSTOMER, ADD_PRODUCT, REPRICE, PLACE, CHANGE_ADDRESS, CONFIRM, SHIP, CANCEL }

    /** One HTTP attempt of a command: when it was sent and answered (nanoTime), its status (-1: no answer). */
    record Attempt(Kind kind, String instance, long sentAt, long answeredAt, int status, String error, boolean problemJson,
            boolean retryAfter) {

        String outcome() {
            return status < 0 ? error : Integer.toString(status);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** An acknowledged command: the aggregate it changed and the version it answered. */
    record Ack(Kind kind, UUID aggregateId, long version, long sentAt, long ackedAt) {
    }

    /** A command that got no 2xx after every attempt: its outcome is unknown (5xx, no answer) or refused (4xx). */
    record Failure(Kind kind, UUID aggregateId, long sentAt, long endedAt, String lastOutcome, String detail) {
    }

    /** One read of an order view; {@code detail}: who read it, and what a refusal said. */
    record Read(long sentAt, long answeredAt, int status, String error, String source, long minVersion, long version,
            String detail) {

        boolean ok() {
            return status == 200;
        }

        /** Read-your-writes broken: older than the version asked for, or not found at all. */
        boolean stale() {
            return minVersion > 0 && (status == 404 || ok() && version < minVersion);
        }

        String outcome() {
            return status < 0 ? error : Integer.toString(status);
        }
    }

    final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
    /** Commands whose last attempt got a 5xx or no answer: their outcome is unknown to the client. */
    private final ConcurrentLinkedQueue<Unresolved> unresolved = new ConcurrentLinkedQueue<>();
    /** Ticks not offered because too many commands were in flight. */
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicInteger offered = new AtomicInteger();

    private final Instances instances;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(3, daemon("load-http"));
    private final HttpClient http;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Random random = new Random(13);
    /** Latest acknowledged version of every order, for reads with X-Min-Version. */
    private final Map<UUID, Long> ordersAcked = new ConcurrentHashMap<>();
    /** Who reads each order: the caller of its latest acknowledged command (its {@code Authorization}). */
    private final Map<UUID, Supplier<String>> readers = new ConcurrentHashMap<>();
    private final RealmUsers users;
    private final FreshTokens tokens;
    /** Every customer's {@code Authorization}, from the realm person it is. */
    private final Map<UUID, Supplier<String>> customerBearers = new ConcurrentHashMap<>();
    /** Registrations not sent because their client had no realm person left to register. */
    final AtomicInteger registrationsWithoutPerson = new AtomicInteger();
    private volatile boolean running;
    private volatile Consumer<UUID> beforeRead = id -> { };
    private volatile double evictShare;
    private final List<Thread> threads = new ArrayList<>();

    MixedLoad(Instances instances, int clientCount, RealmUsers users, FreshTokens tokens) {
        this.instances = instances;
        this.users = users;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .executor(callbacks).build();
        for (int i = 0; i < clientCount; i++) {
            RealmUsers.Person staff = users.newPerson("Fault Staff " + i, List.of("staff"));
            clients.add(new Client(i, new Random(100 + i), tokens.bearer(staff)));
        }
    }

    /**
     * Makes each client's customers in the realm, with their tokens: {@code customersPerClient} to
     * register now and {@code sparePerClient} for the registrations under load, so that the load never
     * waits for the identity provider. Then each client registers its first customers and products and
     * places one order per follower wanted; answers the customers and orders to follow. Done before
     * the load, with the service healthy.
     */
    Setup setUp(int customersPerClient, int watchedPerClient, int sparePerClient) throws Exception {
        ExecutorService making = Executors.newFixedThreadPool(4, daemon("realm-people"));
        try {
            List<CompletableFuture<Void>> made = new ArrayList<>();
            for (Client c : clients) {
                for (int i = 0; i < customersPerClient + sparePerClient; i++) {
                    made.add(CompletableFuture.runAsync(c::makePerson, making));
                }
            }
            CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            making.shutdownNow();
        }
        List<UUID> followed = new ArrayList<>();
        List<Watched> watched = new ArrayList<>();
        for (Client c : clients) {
            for (int i = 0; i < customersPerClient; i++) {
                UUID customer = c.registerNow();
                if (i == 0) {
                    followed.add(customer);
                }
            }
            c.addProductNow();
            c.addProductNow();
        }
        for (Client c : clients) {
            for (int i = 0; i < watchedPerClient; i++) {
                watched.add(c.placeWatchedNow());
            }
        }
        return new Setup(followed, watched);
    }

    record Setup(List<UUID> followedCustomers, List<Watched> watchedOrders) {
    }

    /** An order to follow, and the customer it belongs to (who alone, with staff, may follow it). */
    record Watched(UUID order, UUID customer) {
    }

    /** The {@code Authorization} of a customer of this load, always of a token not yet expired. */
    Supplier<String> bearerOf(UUID customer) {
        return customerBearers.get(customer);
    }

    /** Starts the commands at {@code commandsPerSecond} in all and the reads at {@code readsPerSecond}. */
    void start(int commandsPerSecond, int readsPerSecond) {
        running = true;
        threads.add(loop("load-commands", commandsPerSecond, tick -> {
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                skipped.incrementAndGet();
                return;
            }
            offered.incrementAndGet();
            clients.get(tick % clients.size()).sendNext();
        }));
        threads.add(loop("load-reads", readsPerSecond, tick -> read()));
    }

    /** Reads from now on first drop a share of the views they read from Redis, as evictions would. */
    void evictBeforeReads(double share, Consumer<UUID> evict) {
        this.beforeRead = evict;
        this.evictShare = share;
    }

    /** Stops sending, and waits (bounded) for the commands in flight to end. */
    void stop(Duration drain) {
        running = false;
        threads.forEach(t -> {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long deadline = System.nanoTime() + drain.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Instances.sleep(50);
        }
    }

    void close() {
        callbacks.shutdownNow();
    }

    int inFlight() {
        return inFlight.get();
    }

    private Thread loop(String name, int perSecond, java.util.function.IntConsumer body) {
        Thread t = new Thread(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long start = System.nanoTime();
            for (int tick = 0; running; tick++) {
                long due = start + tick * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (running) {
                    body.accept(tick);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void read() {
        List<UUID> known = new ArrayList<>(ordersAcked.keySet());
        if (known.isEmpty()) {
            return;
        }
        UUID id = known.get(random.nextInt(known.size()));
        boolean readYourWrites = random.nextBoolean();
        long min = readYourWrites ? ordersAcked.getOrDefault(id, 0L) : 0;
        if (evictShare > 0 && random.nextDouble() < evictShare) {
            beforeRead.accept(id);
        }
        Supplier<String> reader = readers.get(id);
        String as = clients.stream().anyMatch(c -> c.staff == reader) ? "as staff" : "as its customer";
        HttpRequest.Builder request = HttpRequest.newBuilder(instances.pick(Instances.Role.QUERY).base.resolve("/orders/" + id))
                .timeout(REQUEST_TIMEOUT).header("Authorization", reader.get()).GET();
        if (min > 0) {
            request.header("X-Min-Version", Long.toString(min));
        }
        long sent = System.nanoTime();
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, failure) -> {
            long now = System.nanoTime();
            if (failure != null) {
                reads.add(new Read(sent, now, -1, errorKind(failure), null, min, -1, as));
            } else {
                long version = r.statusCode() == 200 ? r.headers().firstValue("ETag").map(MixedLoad::etagVersion).orElse(-1L) : -1;
                reads.add(new Read(sent, now, r.statusCode(), null, r.headers().firstValue("X-Read-Source").orElse(null),
                        min, version, r.statusCode() == 200 ? as : as + ": " + abbreviated(r.body())));
            }
        });
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body;
    }

    static long etagVersion(String etag) {
        return Long.parseLong(etag.replace("W/", "").replace("\"", "").strip());
    }

    static String errorKind(Throwable failure) {
        boolean io = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return "timeout";
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            io |= t instanceof IOException;
        }
        return io ? "connection lost" : failure.getClass().getSimpleName();
    }

    /**
     * A command ready to send: what it is, who sends it ({@code Authorization}, each attempt with the
     * caller's latest token), and what to do with its acknowledgement.
     */
    private record Command(Kind kind, UUID aggregateId, Supplier<String> authorization, String method, String path,
            String body, Long ifMatch, Consumer<Long> onAck, Runnable onFailure, String idempotencyKey) {

        /** A command with a key of its own, which every attempt of it sends (keys are per caller: so is the command). */
        Command(Kind kind, UUID aggregateId, Supplier<String> authorization, String method, String path, String body, Long ifMatch,
                Consumer<Long> onAck, Runnable onFailure) {
            this(kind, aggregateId, authorization, method, path, body, ifMatch, onAck, onFailure, "fault-" + UUID.randomUUID());
        }
    }

    private static final int RESENT_AT_ONCE = 8;

    /** A command left without an outcome, and the client that sent it. */
    private record Unresolved(Client client, Command command) {
    }

    /**
     * Sends every command left without an outcome once more, with its {@code Idempotency-Key}, as a
     * client does once the service answers again; answers how they were answered (outcome → count).
     * Each one's true outcome is a 2xx: the answer it was given, when it had committed; its effect now,
     * when it had not (its aggregate took no command since). A 2xx is acknowledged like any other.
     */
    Map<String, Integer> resendUnresolved(Duration within) throws Exception {
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        // a few at a time, as clients coming back one by one would: not a burst of hundreds on top of the load
        java.util.concurrent.Semaphore inFlightAgain = new java.util.concurrent.Semaphore(RESENT_AT_ONCE);
        for (Unresolved u = unresolved.poll(); u != null; u = unresolved.poll()) {
            inFlightAgain.acquire();
            answers.add(u.client().resend(u.command()).whenComplete((outcome, failure) -> inFlightAgain.release()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
        answers.forEach(a -> outcomes.merge(a.join(), 1, Integer::sum));
        return outcomes;
    }

    /** One client: the customers, products and orders it owns, and what it may do next with them. */
    private final class Client {

        final int index;
        final Random rnd;
        /** This client's staff member: one identity, so that a command's retries are the same caller's. */
        final Supplier<String> staff;
        /** Customers made in the realm, not registered with the service yet. */
        final Deque<RealmUsers.Person> unregistered = new ArrayDeque<>();
        final List<UUID> customers = new ArrayList<>();
        final Map<UUID, long[]> products = new LinkedHashMap<>();
        final Map<UUID, OrderState> orders = new LinkedHashMap<>();
        int seq;

        Client(int index, Random rnd, Supplier<String> staff) {
            this.index = index;
            this.rnd = rnd;
            this.staff = staff;
        }

        /** One more customer of the realm for this client, with its token: its id is the token's subject. */
        void makePerson() {
            RealmUsers.Person person = users.newCustomer("Fault Buyer " + index);
            customerBearers.put(person.id(), tokens.bearer(person));
            synchronized (this) {
                unregistered.add(person);
            }
        }

        UUID registerNow() throws Exception {
            return sendNow(registerCustomer());
        }

        void addProductNow() throws Exception {
            sendNow(addProduct());
        }

        Watched placeWatchedNow() throws Exception {
            Command place;
            UUID customer;
            synchronized (this) {
                place = placeOrder(true);
                customer = orders.get(place.aggregateId()).customer;
            }
            return new Watched(sendNow(place), customer);
        }

        /** Sends a set-up command and waits for it; set-up must succeed. */
        private UUID sendNow(Command c) throws Exception {
            CompletableFuture<UUID> done = new CompletableFuture<>();
            send(c, 1, System.nanoTime(), done);
            UUID id = done.get(30, TimeUnit.SECONDS);
            if (id == null) {
                throw new IllegalStateException("set-up command " + c.kind() + " failed: " + failures.peek());
            }
            return id;
        }

        void sendNext() {
            Command c;
            synchronized (this) {
                c = next();
            }
            if (c != null) {
                send(c, 1, System.nanoTime(), new CompletableFuture<>());
            }
        }

        /** The next command, chosen at random among those the client's aggregates allow now. */
        private Command next() {
            double r = rnd.nextDouble();
            if (r < 0.03) {
                if (!unregistered.isEmpty()) {
                    return registerCustomer();
                }
                registrationsWithoutPerson.incrementAndGet();
            }
            if (r < 0.05) {
                return addProduct();
            }
            if (r < 0.10) {
                Optional<UUID> idle = products.entrySet().stream().filter(e -> e.getValue()[1] == 0).map(Map.Entry::getKey).findAny();
                if (idle.isPresent()) {
                    return reprice(idle.get());
                }
            }
            List<Map.Entry<UUID, OrderState>> open = orders.entrySet().stream()
                    .filter(e -> !e.getValue().busy && !e.getValue().retired && e.getValue().open()).toList();
            double placeShare = open.size() < 8 ? 0.6 : 0.25;
            if (open.isEmpty() || rnd.nextDouble() < placeShare) {
                return placeOrder(false);
            }
            Map.Entry<UUID, OrderState> pick = open.get(rnd.nextInt(open.size()));
            return change(pick.getKey(), pick.getValue());
        }

        /** A new customer registers itself: its id is its token's subject. */
        private Command registerCustomer() {
            UUID id = unregistered.remove().id();
            Supplier<String> bearer = customerBearers.get(id);
            String body = "{\"name\":\"Fault Buyer " + index + "-" + (++seq) + "\",\"email\":\"fault-" + id + "@example.com\"}";
            return new Command(Kind.REGISTER_CUSTOMER, id, bearer, "POST", "/customers", body, null, v -> { }, () -> { });
        }

        private Command addProduct() {
            String sku = "FAULT-" + index + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new Command(Kind.ADD_PRODUCT, null, staff, "POST", "/products",
                    "{\"sku\":\"" + sku + "\",\"name\":\"Fault item " + sku + "\",\"unitPrice\":" + price() + "}", null,
                    v -> { }, () -> { });
        }

        private Command reprice(UUID product) {
            long[] state = products.get(product);
            state[1] = 1;
            return new Command(Kind.REPRICE, product, staff, "POST", "/products/" + product + "/price",
                    "{\"unitPrice\":" + price() + "}", state[0],
                    v -> {
                        synchronized (this) {
                            state[0] = v;
                            state[1] = 0;
                        }
                    },
                    // an unknown outcome leaves the version unknown: the product is repriced no more
                    () -> { });
        }

        private String price() {
            return (1 + rnd.nextInt(40)) + "." + (10 + rnd.nextInt(90));
        }

        private Command placeOrder(boolean watched) {
            UUID id = UUID.randomUUID();
            UUID customer = customers.get(rnd.nextInt(customers.size()));
            List<UUID> mine = new ArrayList<>(products.keySet());
            java.util.Collections.shuffle(mine, rnd);
            StringBuilder lines = new StringBuilder();
            int n = 1 + rnd.nextInt(Math.min(3, mine.size()));
            for (int i = 0; i < n; i++) {
                lines.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(mine.get(i))
                        .append("\",\"quantity\":").append(1 + rnd.nextInt(5)).append('}');
            }
            String body = "{\"orderId\":\"" + id + "\",\"customerId\":\"" + customer + "\",\"shippingAddress\":" + address()
                    + ",\"lines\":[" + lines + "]}";
            OrderState state = new OrderState(watched, customer);
            state.busy = true;
            orders.put(id, state);
            return new Command(Kind.PLACE, id, customerBearers.get(customer), "POST", "/orders", body, null,
                    v -> settle(state, v, "PLACED"), () -> retire(state));
        }

        private Command change(UUID id, OrderState s) {
            Kind kind;
            double r = rnd.nextDouble();
            if (s.watched) {
                kind = Kind.CHANGE_ADDRESS;
            } else if ("PLACED".equals(s.status)) {
                kind = r < 0.45 ? Kind.CONFIRM : r < 0.75 ? Kind.CHANGE_ADDRESS : Kind.CANCEL;
            } else {
                kind = r < 0.6 ? Kind.SHIP : r < 0.8 ? Kind.CHANGE_ADDRESS : Kind.CANCEL;
            }
            s.busy = true;
            String path = "/orders/" + id;
            Supplier<String> customer = customerBearers.get(s.customer);
            return switch (kind) {
                case CONFIRM -> new Command(kind, id, staff, "POST", path + "/confirm", null, s.version,
                        v -> settle(s, v, "CONFIRMED"), () -> retire(s));
                case SHIP -> new Command(kind, id, staff, "POST", path + "/ship", null, s.version,
                        v -> settle(s, v, "SHIPPED"), () -> retire(s));
                // the customer withdraws its order, or staff cancel it (out of stock, say)
                case CANCEL -> new Command(kind, id, rnd.nextBoolean() ? customer : staff, "POST", path + "/cancel",
                        "{\"reason\":\"fault suite\"}", s.version, v -> settle(s, v, "CANCELLED"), () -> retire(s));
                default -> new Command(Kind.CHANGE_ADDRESS, id, customer, "PUT", path + "/shipping-address", address(), s.version,
                        v -> settle(s, v, s.status), () -> retire(s));
            };
        }

        private String address() {
            int n = rnd.nextInt(1000);
            return "{\"line1\":\"" + n + " Fault Street\",\"city\":\"Leipzig\",\"postalCode\":\"0" + (4000 + n)
                    + "\",\"country\":\"DE\"}";
        }

        private synchronized void settle(OrderState s, long version, String status) {
            s.version = version;
            s.status = status;
            s.busy = false;
        }

        /** A command whose outcome is unknown leaves the order's version unknown: no more commands on it. */
        private synchronized void retire(OrderState s) {
            s.retired = true;
            s.busy = false;
        }

        private HttpRequest request(Command c, Instances.Instance to) {
            HttpRequest.Builder b = HttpRequest.newBuilder(to.base.resolve(c.path())).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", c.authorization().get())
                    .header("Idempotency-Key", c.idempotencyKey());
            if (c.ifMatch() != null) {
                b.header("If-Match", "\"" + c.ifMatch() + "\"");
            }
            HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body());
            return b.method(c.method(), body).build();
        }

        /** One more attempt of a command left without an outcome, outside the schedule: its outcome ("201", "timeout"). */
        CompletableFuture<String> resend(Command c) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            long sent = System.nanoTime();
            http.sendAsync(request(c, instances.pick(Instances.Role.COMMAND)), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, failure) -> {
                        if (failure == null && r.statusCode() >= 200 && r.statusCode() < 300) {
                            acknowledged(c, r.body(), sent, System.nanoTime(), new CompletableFuture<>());
                        }
                        outcome.complete(failure != null ? errorKind(failure) : Integer.toString(r.statusCode()));
                    });
            return outcome;
        }

        private void send(Command c, int attempt, long firstSent, CompletableFuture<UUID> done) {
            inFlight.incrementAndGet();
            Instances.Instance to = instances.pick(Instances.Role.COMMAND);
            HttpRequest request = request(c, to);
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, failure) -> {
                inFlight.decrementAndGet();
                long now = System.nanoTime();
                Attempt a = failure != null
                        ? new Attempt(c.kind(), to.name, sent, now, -1, errorKind(failure), false, false)
                        : new Attempt(c.kind(), to.name, sent, now, r.statusCode(), null,
                                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                                r.headers().firstValue("Retry-After").isPresent());
                attempts.add(a);
                if (a.ok()) {
                    acknowledged(c, r.body(), firstSent, now, done);
                } else if ((a.status() < 0 || a.status() == 502 || a.status() == 503 || a.status() == 504) && attempt < ATTEMPTS
                        && running) {
                    CompletableFuture.delayedExecutor(300L * attempt, TimeUnit.MILLISECONDS, callbacks)
                            .execute(() -> send(c, attempt + 1, firstSent, done));
                } else {
                    String detail = r == null ? a.outcome() : abbreviated(r.body());
                    failures.add(new Failure(c.kind(), c.aggregateId(), firstSent, now, a.outcome(), detail));
                    if (a.status() < 0 || a.status() >= 500) {
                        unresolved.add(new Unresolved(this, c));
                    }
                    c.onFailure().run();
                    done.complete(null);
                }
            });
        }

        private void acknowledged(Command c, String body, long sent, long now, CompletableFuture<UUID> done) {
            try {
                JsonNode answer = JSON.readTree(body);
                long version = answer.path("version").asLong(-1);
                UUID id = c.aggregateId();
                if (c.kind() == Kind.REGISTER_CUSTOMER) {
                    id = UUID.fromString(answer.path("customerId").asText());
                    if (!id.equals(c.aggregateId())) {
                        throw new IllegalStateException("registered as " + id + ", not as its token's subject "
                                + c.aggregateId());
                    }
                    synchronized (this) {
                        customers.add(id);
                    }
                } else if (c.kind() == Kind.ADD_PRODUCT) {
                    id = UUID.fromString(answer.path("productId").asText());
                    synchronized (this) {
                        products.put(id, new long[] {version, 0});
                    }
                }
                acks.add(new Ack(c.kind(), id, version, sent, now));
                if (c.kind() != Kind.REGISTER_CUSTOMER && c.kind() != Kind.ADD_PRODUCT && c.kind() != Kind.REPRICE) {
                    readers.put(id, c.authorization());
                    ordersAcked.merge(id, version, Math::max);
                }
                c.onAck().accept(version);
                done.complete(id);
            } catch (IOException | RuntimeException e) {
                failures.add(new Failure(c.kind(), c.aggregateId(), sent, now, "unreadable answer", e.getMessage()));
                c.onFailure().run();
                done.complete(null);
            }
        }
    }

    /** What a client knows of one of its orders. */
    private static final class OrderState {
        final boolean watched;
        final UUID customer;
        String status = "PLACED";
        long version;
        boolean busy;
        boolean retired;

        OrderState(boolean watched, UUID customer) {
            this.watched = watched;
            this.customer = customer;
        }

        boolean open() {
            return "PLACED".equals(status) || "CONFIRMED".equals(status);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
