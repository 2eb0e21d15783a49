# Turns runtime/bpf/tapstudio.bpf.h into a C++ string constant.
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "namespace tap::rt { extern const char* const kTapstudioBpfHeader; const char* const kTapstudioBpfHeader = R\"tapbpf(${content})tapbpf\"; }\n")
