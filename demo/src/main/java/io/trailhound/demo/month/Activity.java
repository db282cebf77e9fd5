package io.trailhound.demo.month;

/** One kind of benign work in the organization; called once per day, in day order, it adds that day's records. */
interface Activity {

    void day(Day day);
}
