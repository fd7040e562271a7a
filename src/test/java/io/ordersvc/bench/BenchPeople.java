package io.ordersvc.bench;

import io.ordersvc.stack.RealmUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The people a driver acts as, made in the stack's realm before the driver's measured window, so
 * that the service's CPU measured around a step never includes waiting for the identity provider:
 * new customers (each a person of its own, whose token's subject is its customer id) and a staff
 * member, each with a token fetched now by the password grant. The realm's tokens live 5 minutes,
 * longer than any one step: a step's people are made right before it, outside its window.
 *
 * <p>{@code java -Dstack.dir=DIR io.ordersvc.bench.BenchPeople CUSTOMERS FILE} writes FILE: a line
 * {@code staff TOKEN}, then one {@code customer ID TOKEN} per customer. A driver reads it with
 * {@link #read}.
 */
final class BenchPeople {

    /** A customer of the realm, not registered with the service yet, and its {@code Authorization}. */
    record Customer(UUID id, String authorization) {
    }

    /** A staff member's {@code Authorization}, and the customers. */
    record People(String staff, List<Customer> customers) {
    }

    private BenchPeople() {
    }

    /** {@code customers} new customers and the seeded staff member, their tokens fetched a few at a time. */
    static People make(RealmUsers users, int customers, String label) {
        ForkJoinPool making = new ForkJoinPool(4);
        try {
            List<Customer> made = making.submit(() -> IntStream.range(0, customers).parallel()
                    .mapToObj(i -> users.newCustomer(label + " " + i))
                    .map(p -> new Customer(p.id(), ServiceApi.bearer(users.token(p))))
                    .toList()).join();
            return new People(ServiceApi.bearer(users.staff()), made);
        } finally {
            making.shutdown();
        }
    }

    /** The people of a file {@link #main} wrote, or, with no file, new ones made now. */
    static People readOrMake(String file, int customers, String label) throws IOException {
        return file == null ? make(ServiceApi.users(), customers, label) : read(Path.of(file));
    }

    static People read(Path file) throws IOException {
        String staff = null;
        List<Customer> customers = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ");
            if (fields[0].equals("staff")) {
                staff = fields[1];
            } else if (fields[0].equals("customer")) {
                customers.add(new Customer(UUID.fromString(fields[1]), ServiceApi.bearer(fields[2])));
            }
        }
        if (staff == null || customers.isEmpty()) {
            throw new IllegalStateException(file + " names no staff member or no customer");
        }
        return new People(ServiceApi.bearer(staff), customers);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("BenchPeople CUSTOMERS FILE (and -Dstack.dir=DIR)");
        }
        People people = make(ServiceApi.users(), Integer.parseInt(args[0]), "Bench Buyer");
        List<String> lines = new ArrayList<>();
        lines.add("staff " + people.staff().substring("Bearer ".length()));
        people.customers().forEach(c -> lines.add("customer " + c.id() + " " + c.authorization().substring("Bearer ".length())));
        Files.write(Path.of(args[1]), lines);
    }
}
