package io.ordersvc.stack;

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
}
