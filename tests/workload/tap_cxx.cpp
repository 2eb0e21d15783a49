// A C++ program for probes named with C++ scopes:
//   tap_cxx N   computes N circles' and N squares' areas and a global total.
#include <cstdlib>

namespace shapes {

struct Circle {
    long r;
    __attribute__((noinline)) long area() const { return 3 * r * r; }
};

struct Square {
    long side;
    __attribute__((noinline)) long area() const;
};

long Square::area() const { return side * side; }

} // namespace shapes

__attribute__((noinline)) long area(long x) { return x; } // the global one

volatile long tap_cxx_total;

int main(int argc, char** argv) {
    long n = argc > 1 ? std::atol(argv[1]) : 1;
    for (long i = 1; i <= n; ++i)
        tap_cxx_total += shapes::Circle{i}.area() + shapes::Square{i}.area() + area(i);
    return 0;
}
