package io.ordersvc.ui;

/** What the web UI must know before anyone signs in: which provider, and which client it is there. */
public record UiSettings(String issuer, String clientId) {
}
