package io.ordersvc.cqrs.plantedhen;

import io.ordersvc.cqrs.plantedegg.Egg;

/** Half of a cycle planted for {@code PlumbingCyclesTest}: a hen comes from an egg. */
public class Hen {

    Egg lay() {
        return new Egg();
    }
}
