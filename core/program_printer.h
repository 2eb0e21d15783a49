// Prints pass 2's result the way `stap -p2` does.
#pragma once

#include "program.h"

#include <ostream>

namespace tap {

void printProgram(std::ostream& o, const Program& program);

} // namespace tap
