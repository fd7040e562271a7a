package io.ordersvc.stack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * People's access tokens for a tool that runs longer than a token lives (the realm's live 5 minutes):
 * each is fetched again by the password grant before it expires, as a real client renews its own.
 * Renewal happens off the caller's path: {@link #renewInBackground} fetches every token past half its
 * lifetime on a thread of its own, {@link #renewExpiringWithin} does it at once between two measured
 * steps; a caller only reads the latest token. JDK only, like {@link RealmUsers}.
 */
public final class FreshTokens implements AutoCloseable {

    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");
    private static final Pattern IAT = Pattern.compile("\"iat\"\\s*:\\s*(\\d+)");

    private final RealmUsers users;
    private final List<Held> held = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService renewer;

    public FreshTokens(RealmUsers users) {
        this.users = users;
    }

    /** A person's {@code Authorization} value ({@code Bearer …}), its first token fetched now. */
    public Supplier<String> bearer(RealmUsers.Person person) {
        return bearer(person.username(), person.password());
    }

    public Supplier<String> bearer(String username, String password) {
        Held token = new Held(() -> users.token(username, password));
        held.add(token);
        return token;
    }

    /** Renews, on a daemon thread every few seconds, each token that has lived half its lifetime. */
    public synchronized FreshTokens renewInBackground() {
        if (renewer == null) {
            renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "token-renewal");
                t.setDaemon(true);
                return t;
            });
            renewer.scheduleWithFixedDelay(this::renewHalfSpent, 5, 5, TimeUnit.SECONDS);
        }
        return this;
    }

    /** Renews now every token that would expire within {@code ahead}: before a step that must not wait for the provider. */
    public void renewExpiringWithin(Duration ahead) {
        long until = System.currentTimeMillis() + ahead.toMillis();
        held.stream().filter(t -> t.current.expiresAt() < until).parallel().forEach(Held::renew);
    }

    private void renewHalfSpent() {
        long now = System.currentTimeMillis();
        for (Held token : held) {
            if (now >= token.current.halfSpentAt()) {
                try {
                    token.renew();
                } catch (RuntimeException e) {
                    // the provider did not answer: the token is still good, the next round tries again
                    System.err.println("token renewal failed: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }

    /** When a JWT expires: its {@code exp} claim, in epoch seconds. */
    public static long expiry(String jwt) {
        return Token.of(jwt).expiresAt() / 1000;
    }

    /** A token as a header value, and when it was issued and expires (epoch ms, from its claims). */
    private record Token(String bearer, long issuedAt, long expiresAt) {

        static Token of(String token) {
            String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            return new Token("Bearer " + token, seconds(IAT, claims) * 1000, seconds(EXP, claims) * 1000);
        }

        long halfSpentAt() {
            return issuedAt + (expiresAt - issuedAt) / 2;
        }
    }

    /** One person's latest token, and the grant that fetches another. */
    private static final class Held implements Supplier<String> {

        private final Supplier<String> grant;
        private volatile Token current;

        Held(Supplier<String> grant) {
            this.grant = grant;
            renew();
        }

        void renew() {
            current = Token.of(grant.get());
        }

        /** The latest token; one found expired (renewal kept failing) is fetched again here, on the caller's time. */
        @Override
        public String get() {
            if (System.currentTimeMillis() >= current.expiresAt()) {
                synchronized (this) {
                    if (System.currentTimeMillis() >= current.expiresAt()) {
                        renew();
                    }
                }
            }
            return current.bearer();
        }
    }

    private static long seconds(Pattern claim, String claims) {
        Matcher m = claim.matcher(claims);
        if (!m.find()) {
            throw new IllegalStateException("a token without " + claim.pattern() + ": " + claims);
        }
        return Long.parseLong(m.group(1));
    }
}
