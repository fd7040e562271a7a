package io.ordersvc.stack;

import java.util.Optional;

/** One real server of the local stack, run as an OS process of its own. */
interface StackServer {

    String name();

    int port();

    boolean isRunning();

    /** Starts it and waits until it serves; does nothing when it already runs. */
    void start();

    /** Graceful stop; nothing of it is left running afterwards. */
    void stop();

    /** SIGKILL, as a crash would. */
    void kill();

    /** The server's main OS process while it runs: the one to pause (SIGSTOP) and resume (SIGCONT). */
    Optional<ProcessHandle> mainProcess();
}
