/* hello-world for Slipway's i386 catalogue: no libc, two raw Linux syscalls (int 0x80). */

#define SYS_EXIT 1
#define SYS_WRITE 4
#define STDOUT 1

static const char message[] =
	"\n"
	"Hello from Slipway!\n"
	"This message shows that your Docker in a browser tab appears to be working.\n"
	"\n"
	"To print it, Slipway took the following steps:\n"
	" 1. The docker command you typed went to the Slipway engine, a Docker daemon\n"
	"    written in TypeScript that runs in your browser.\n"
	" 2. The engine found the \"hello-world\" image in Slipway's offline catalogue:\n"
	"    real OCI images for 32-bit x86 (linux/386), built from Debian packages.\n"
	" 3. The engine created a container from that image and started it in the\n"
	"    Linux virtual machine that the v86 emulator runs inside this page.\n"
	" 4. The container ran this small program, and the engine streamed its output\n"
	"    back to your terminal.\n"
	"\n"
	"To try something more ambitious, run a shell in a Debian container:\n"
	" $ docker run -it debian bash\n"
	"\n"
	"Or a web server, then open the published port:\n"
	" $ docker run -d -p 8080:80 nginx\n"
	"\n";

static long syscall3(long number, long a, long b, long c)
{
	long result;
	__asm__ volatile("int $0x80"
			 : "=a"(result)
			 : "a"(number), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return result;
}

void _start(void)
{
	long written = syscall3(SYS_WRITE, STDOUT, (long)message, sizeof message - 1);
	syscall3(SYS_EXIT, written == (long)(sizeof message - 1) ? 0 : 1, 0, 0);
	for (;;) {
	}
}
