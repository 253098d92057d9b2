using Overlap.Core.Statistics;

namespace Overlap.Core.Generative;

public sealed partial record JudgeAgreement
{
    private static JudgeAgreement Measure(
        RubricCriterion criterion,
        IReadOnlyCollection<(int People, int Model)> pairs,
        JudgeAgreement empty
    )
    {
        double n = pairs.Count;
        // The paired 2×2 table on pass/fail: both pass, only the model passes, only people pass, both fail.
        long both = 0,
            onlyModel = 0,
            onlyPeople = 0,
            neither = 0;
        foreach (var (people, model) in pairs)
        {
            var (p, m) = (criterion.Passes(people), criterion.Passes(model));
            if (p && m)
            {
                both++;
            }
            else if (m)
            {
                onlyModel++;
            }
            else if (p)
            {
                onlyPeople++;
            }
            else
            {
                neither++;
            }
        }
        var table = new double[,]
        {
            { neither, onlyModel },
            { onlyPeople, both },
        };
        var agreeing = both + neither;
        var (kappa, kappaHalf) = CohenKappa.WithHalfWidth(table, Wilson.Z(empty.Confidence));
        var result = empty with
        {
            Outputs = pairs.Count,
            Agreeing = agreeing,
            Share = agreeing / n,
            ShareInterval = Wilson.Interval(agreeing, n, empty.Confidence),
            Kappa = kappa,
            KappaInterval = double.IsNaN(kappa) ? Interval.Unknown : new Interval(kappa - kappaHalf, kappa + kappaHalf),
            ModelPassRate = (both + onlyModel) / n,
            PeoplePassRate = (both + onlyPeople) / n,
            Leniency = (onlyModel - onlyPeople) / n,
            LeniencyInterval = PairedDifference(both, onlyModel, onlyPeople, neither, empty.Confidence),
        };
        if (criterion.Scale != RubricScale.OneToFive)
        {
            return result;
        }
        var grades = new double[5, 5];
        foreach (var (people, model) in pairs)
        {
            grades[people - 1, model - 1]++;
        }
        return result with
        {
            ExactShare = pairs.LongCount(p => p.People == p.Model) / n,
            WeightedKappa = CohenKappa.Quadratic(grades),
        };
    }

    /// <summary>
    /// Newcombe's hybrid score interval for the difference of two paired proportions, p1 − p2 with p1 = (a + b) / n
    /// (the model's pass rate) and p2 = (a + c) / n (people's): method 10 of Newcombe (1998), from each rate's Wilson
    /// bounds and the uncorrected φ = (ad − bc) / √((a + b)(c + d)(a + c)(b + d)), 0 when a margin is empty.
    /// </summary>
    private static Interval PairedDifference(long a, long b, long c, long d, double confidence)
    {
        double n = a + b + c + d;
        var (p1, p2) = ((a + b) / n, (a + c) / n);
        var first = Wilson.Interval(a + b, n, confidence);
        var second = Wilson.Interval(a + c, n, confidence);
        var margins = (double)(a + b) * (c + d) * (a + c) * (b + d);
        var phi = margins == 0 ? 0 : ((double)a * d - (double)b * c) / Math.Sqrt(margins);
        var (down1, up1) = (p1 - first.Low, first.High - p1);
        var (down2, up2) = (p2 - second.Low, second.High - p2);
        var difference = p1 - p2;
        return new Interval(
            difference - Math.Sqrt((down1 * down1) - (2 * phi * down1 * up2) + (up2 * up2)),
            difference + Math.Sqrt((down2 * down2) - (2 * phi * down2 * up1) + (up1 * up1))
        );
    }
}
