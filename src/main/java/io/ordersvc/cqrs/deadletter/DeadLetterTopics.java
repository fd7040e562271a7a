package io.ordersvc.cqrs.deadletter;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The dead-letter topics of the service, read from the messaging configuration, so that a new
 * consumer's dead-letter topic is handled without a code change: every
 * {@code mp.messaging.incoming.<channel>.dead-letter-queue.topic} of a channel whose
 * {@code failure-strategy} is {@code dead-letter-queue}.
 */
final class DeadLetterTopics {

    private static final Logger LOG = Logger.getLogger(DeadLetterTopics.class);
    private static final String PREFIX = "mp.messaging.incoming.";
    private static final Pattern STRATEGY = Pattern.compile(Pattern.quote(PREFIX) + "(.+)\\.failure-strategy");

    private DeadLetterTopics() {
    }

    /** The topics in name order, each once even if several channels share it. */
    static List<String> in(Config config) {
        Set<String> topics = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            Matcher strategy = STRATEGY.matcher(name);
            // the name may be listed for a profile that is not active: its value decides
            if (!strategy.matches()
                    || !config.getOptionalValue(name, String.class).filter("dead-letter-queue"::equals).isPresent()) {
                continue;
            }
            String channel = strategy.group(1);
            config.getOptionalValue(PREFIX + channel + ".dead-letter-queue.topic", String.class).ifPresentOrElse(topics::add,
                    () -> LOG.warnf("channel %s sends dead letters to the connector's default topic, which is neither counted nor"
                            + " re-driven: set %s%s.dead-letter-queue.topic", channel, PREFIX, channel));
        }
        return List.copyOf(topics);
    }
}
