package io.livepulse.jobs.records;

import java.util.Comparator;

/**
 * One product's sales in a broadcast. A refund counts against the product of the order it names
 * (unknown when the viewer did not pay that order in this broadcast).
 */
public class ProductSales {
    /** Largest GMV first, ties by sku: the order of a recap's top products. */
    public static final Comparator<ProductSales> BY_GMV =
            Comparator.comparingLong(ProductSales::gmvCents).reversed().thenComparing(p -> p.sku);

    public String sku;
    public long orders;
    public long paidCents;
    public long refunds;
    public long refundedCents;

    public ProductSales() {}

    public ProductSales(String sku) {
        this.sku = sku;
    }

    public void apply(ViewerDelta d) {
        orders += d.orders;
        paidCents += d.paidCents;
        refunds += d.refunds;
        refundedCents += d.refundedCents;
    }

    public long gmvCents() {
        return paidCents - refundedCents;
    }
}
