package io.ordersvc.cqrs.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long, and how many, verified bearer tokens are kept, and how long an unpublished key is refused (see {@link VerifiedTokens}). */
@ConfigMapping(prefix = "ordersvc.security")
public interface VerifiedTokensConfig {

    /** The longest a verified token is trusted without a new check, however late it expires. */
    @WithDefault("5m")
    Duration verifiedTokenTtl();

    /** Tokens kept at most: when full, the expired ones are forgotten, then, if still full, all. */
    @WithDefault("10000")
    int verifiedTokens();

    /** How long a kid the issuer turned out not to publish is refused without another look-up. */
    @WithDefault("10s")
    Duration unpublishedKeyTtl();
}
