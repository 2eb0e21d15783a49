// The UI thread comes first: the threads that read records and compute
// charts run at a lower scheduling priority (a higher nice value), so on a
// busy machine they wait for the event loop, not the other way round.
#pragma once

class QThreadPool;

namespace tapgraphs {

// Lowers the calling thread's priority (Linux: its own nice value, +5), once.
void lowerThisThreadsPriority();

// The pool charts compute in; its threads lower their priority on first use.
QThreadPool* chartPool();

} // namespace tapgraphs
