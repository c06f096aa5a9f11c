package static

import "math"

// Propagation delay derived from coordinates. Light in fibre covers about
// 200 km per millisecond (refractive index ≈ 1.5), so 5 µs per km of
// great-circle distance. Real fibre paths are longer than the great circle,
// so this is a lower bound, which is what an unmeasured estimate should be.
const (
	microsecondsPerKm = 5.0
	earthRadiusKm     = 6371.0088 // mean radius (IUGG)
)

// coord is a geographic position in degrees.
type coord struct {
	lat, lon float64
	ok       bool // false when the file gives no (valid) position
}

func (c coord) valid() bool {
	return c.lat >= -90 && c.lat <= 90 && c.lon >= -180 && c.lon <= 180
}

// greatCircleKm is the haversine distance between two positions.
func greatCircleKm(a, b coord) float64 {
	rad := math.Pi / 180
	dlat := (b.lat - a.lat) * rad
	dlon := (b.lon - a.lon) * rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) +
		math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// propagationDelay returns the delay in µs between two positions, rounded to
// the microsecond and at least 1 µs: two nodes in one city are still joined
// by some fibre, and a zero delay would make them free to reach.
func propagationDelay(a, b coord) float64 {
	return max(1, math.Round(greatCircleKm(a, b)*microsecondsPerKm))
}
