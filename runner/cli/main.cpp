// The hoist binary: everything happens in runner/cli/cli.cpp.
#include "runner/cli/cli.hpp"

int main(int argc, char** argv) { return hoist::cli_main(argc, argv); }
