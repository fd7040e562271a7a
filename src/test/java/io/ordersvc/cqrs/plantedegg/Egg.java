package io.ordersvc.cqrs.plantedegg;

import io.ordersvc.cqrs.plantedhen.Hen;

/** The other half of the planted cycle: an egg comes from a hen. */
public class Egg {

    Hen hatch() {
        return new Hen();
    }
}
