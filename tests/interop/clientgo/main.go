// Command clientgo checks mom serve against client-go: a shared informer over secrets and
// configmaps must sync, and a create must succeed. It prints one JSON line with what it saw.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

type report struct {
	Synced     bool   `json:"synced"`
	SyncMillis int64  `json:"syncMillis"`
	Secrets    int    `json:"secrets"`
	ConfigMaps int    `json:"configMaps"`
	Created    string `json:"created"`
}

func main() {
	server := flag.String("server", "", "URL of the kube API endpoint")
	namespace := flag.String("namespace", "", "namespace to watch and create in")
	createName := flag.String("create", "", "name of a ConfigMap to create")
	timeout := flag.Duration("timeout", 10*time.Second, "how long the caches may take to sync")
	flag.Parse()
	if err := run(*server, *namespace, *createName, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "clientgo:", err)
		os.Exit(1)
	}
}

func run(server, namespace, createName string, timeout time.Duration) error {
	config := &rest.Config{Host: server, ContentConfig: rest.ContentConfig{
		ContentType: "application/json", AcceptContentTypes: "application/json",
	}}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	factory := informers.NewSharedInformerFactoryWithOptions(clientset, 0, informers.WithNamespace(namespace))
	secrets := factory.Core().V1().Secrets().Informer()
	configMaps := factory.Core().V1().ConfigMaps().Informer()
	stop := make(chan struct{})
	defer close(stop)
	started := time.Now()
	factory.Start(stop)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out := report{Synced: cache.WaitForCacheSync(ctx.Done(), secrets.HasSynced, configMaps.HasSynced)}
	out.SyncMillis = time.Since(started).Milliseconds()
	out.Secrets = len(secrets.GetStore().List())
	out.ConfigMaps = len(configMaps.GetStore().List())
	if createName != "" {
		created, err := clientset.CoreV1().ConfigMaps(namespace).Create(context.Background(), &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: createName, Namespace: namespace},
			Data:       map[string]string{"created-by": "client-go"},
		}, metav1.CreateOptions{FieldManager: "clientgo-interop"})
		if err != nil {
			return err
		}
		out.Created = created.Name
	}
	encoded, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(encoded))
	if !out.Synced {
		return fmt.Errorf("caches did not sync within %s", timeout)
	}
	return nil
}
