using Atelier.Services.Datasets;
using Atelier.Services.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class RetailSeriesTests
{
    [Fact]
    public void UciCalendarIsSundayToFridayAndWeeksEndOnTheLastDay()
    {
        if (!DataPaths.TryGet(OnlineRetail.Folder, out _)) Assert.Skip("shared/data/uci_online_retail is absent");
        var data = RetailSeries.Load();
        var weekly = data.WeeklyTotal();
        Assert.Equal(53, weekly.Length);
        Assert.Equal(new DateOnly(2011, 12, 9), weekly.PeriodEnds[^1]);
        var daily = data.DailyTotal();
        Assert.Equal(6, daily.Period);
        Assert.DoesNotContain(daily.PeriodEnds, d => d.DayOfWeek == DayOfWeek.Saturday);
        Assert.All(daily.Values[0], v => Assert.True(v > 0)); // closed days imputed
        // no closed day inside the evaluation window (last 28 trading days)
        Assert.DoesNotContain(data.ClosedDays, d => d >= daily.PeriodEnds[^28]);
        // weekly total = Σ countries, and the days of a week add up to the week (imputed days aside)
        var hierarchy = RetailForecastEvaluation.WeeklyHierarchy(data, 10);
        for (int t = 0; t < hierarchy.Length; t++)
            Assert.Equal(hierarchy.Values[0][t], hierarchy.Values.Skip(1).Sum(v => v[t]), 6);
        double lastWeekDays = 0;
        for (int i = daily.Length - 6; i < daily.Length; i++) lastWeekDays += daily.Values[0][i];
        Assert.Equal(weekly.Values[0][^1], lastWeekDays, 6);
    }
}
